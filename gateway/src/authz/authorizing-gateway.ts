import { createHash } from "node:crypto";
import type { ApolloGateway } from "@apollo/gateway";
import type { ApolloServerPlugin } from "@apollo/server";
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from "@apollo/server-gateway-interface";
import {
  type DocumentNode,
  type ExecutionResult,
  executeSync,
  GraphQLError,
  type GraphQLSchema,
  print,
} from "graphql";
import { Lru } from "../limits/lru.ts";
import type { QueryLimits } from "../limits/query-limits-config.ts";
import type { GatewayContext } from "../request/context.ts";
import type { Authority } from "./ability.ts";
import { ChronologyServing } from "./chronology/serving.ts";
import { filterResult } from "./filter.ts";
import { runCompiledPass } from "./filter-pass.ts";
import { type CompiledOperation, compileOperation } from "./filter-plan.ts";
import { filterSchemaOf } from "./filter-schema.ts";
import { createJudge, type Judge, type RequestAuthorization, WITHHELD } from "./judge.ts";
import { rawResults, requestRaw, shapedResult } from "./raw-results.ts";
import { createAuditCollector } from "./release-collector.ts";
import { rewriteForAuthorization } from "./rewrite.ts";
import { introspectionIn, RoleSchemas, validationErrorsFor } from "./role-schema.ts";

/** Where the request context carries authorization: set by the pipeline's stages, read here. */
export type AuthorizationContext = GatewayContext<Authority>;

/** What shadow mode is shown of each answered request: enough to judge it again, no more. */
export interface Observation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | undefined;
  /** What the subgraphs returned for the rewritten document, before filtering. */
  fetched: ExecutionResult;
  authorization: RequestAuthorization;
  live: Authority;
}

/**
 * Rewritten documents and their compiled passes, per document and authorization context. Bounded
 * by count and by the client documents' length (a compiled document holds some hundred bytes per
 * character of query text: about 100 MB at the bound); one document longer than the size bound
 * is rewritten for each request, never kept.
 */
const MAX_CACHED = 1000;
const MAX_CACHED_CHARACTERS = 1_000_000;

/** One document in one authorization context: what is planned, and how its result is filtered. */
interface Rewritten {
  document: DocumentNode;
  /** The client document's length: its share of the cache's bound. */
  characters: number;
  queryHash: string;
  /** The compiled result pass, for the schema and policy it was compiled with; null: none. */
  compiled?: { pass: CompiledOperation | null; schema: GraphQLSchema; authority: Authority };
}

export const AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE";

/**
 * Wraps ApolloGateway's executor: rewrite the document for this request's authorization, re-key
 * it so query plans are never shared between different authorization contexts (the gateway
 * caches plans by queryHash), execute, then filter the result field by field.
 */
export class AuthorizingGateway implements GatewayInterface {
  private readonly rewritten = new Lru<string, Rewritten>({
    max: MAX_CACHED,
    maxSize: MAX_CACHED_CHARACTERS,
    sizeOf: (entry) => entry.characters,
  });
  /** The schema results are re-executed on (see filterSchemaOf). */
  private filterSchema: GraphQLSchema | undefined;
  /** What each role set is told the graph holds: introspection and validation errors. */
  private readonly roleSchemas = new RoleSchemas();
  /** The chronology field: added to the served schema, expanded into the agencies' fields. */
  private readonly chronology: ChronologyServing;

  constructor(
    private readonly inner: ApolloGateway,
    private readonly authority: () => Authority | undefined,
    /** Shadow mode: shown every answered request after its response is computed. */
    private readonly observe?: (observation: Observation) => void,
    /** The query limits, measured again on a chronology's expansion (what it really reads). */
    limits?: QueryLimits,
  ) {
    this.chronology = new ChronologyServing(limits);
  }

  /**
   * The schema this gateway serves over an API schema: with the chronology field the gateway
   * answers itself, so the limits measure what a request will really fetch.
   */
  servedSchema(api: GraphQLSchema): GraphQLSchema {
    return this.chronology.schemaFor(api);
  }

  /**
   * The requester's role schema over this API schema, from the policy that judges their request
   * (the one in force, read now, so a publication shows at once); undefined without one.
   */
  roleSchemaFor(api: GraphQLSchema, context: AuthorizationContext): GraphQLSchema | undefined {
    const authority = context.authority ?? this.authority();
    const roles = context.authorization?.roles;
    return authority && roles ? this.roleSchemas.schemaFor(api, authority, roles) : undefined;
  }

  /**
   * For Apollo Server's plugins: a document the API schema refuses gets the errors the
   * requester's role schema gives it, so no suggestion names what they may never be given.
   * Apollo sends the very list it hands this hook, so the list is rewritten where it is.
   */
  validationPlugin(): ApolloServerPlugin<AuthorizationContext> {
    return {
      requestDidStart: async () => ({
        validationDidStart:
          async ({ schema, document, contextValue }) =>
          async (errors?: readonly Error[]) => {
            if (!errors?.length || !document) return;
            const shown = validationErrorsFor(
              schema,
              this.roleSchemaFor(schema, contextValue),
              document,
              errors as readonly GraphQLError[],
            );
            (errors as Error[]).splice(0, errors.length, ...shown);
          },
      }),
    };
  }

  /** How many rewritten documents are kept, and their documents' summed length (tests, bench). */
  get cachedDocuments(): { count: number; characters: number } {
    return { count: this.rewritten.size, characters: this.rewritten.totalSize };
  }

  onSchemaLoadOrUpdate(callback: Parameters<GatewayInterface["onSchemaLoadOrUpdate"]>[0]) {
    return this.inner.onSchemaLoadOrUpdate((context) => callback(this.chronology.served(context)));
  }

  stop() {
    return this.inner.stop();
  }

  async load(options: Parameters<GatewayInterface["load"]>[0]) {
    this.inner.onSchemaLoadOrUpdate((context) => this.chronology.served(context));
    const loaded = await this.inner.load(options);
    this.filterSchema = filterSchemaOf(loaded.schema);
    this.inner.onSchemaLoadOrUpdate(({ apiSchema }) => {
      this.filterSchema = filterSchemaOf(apiSchema);
    });
    const executor = loaded.executor;
    const schema = this.chronology.schemaFor(loaded.schema);
    if (!executor) return { ...loaded, schema };
    return {
      ...loaded,
      schema,
      executor: (rc: GatewayGraphQLRequestContext) => this.executeWithinPolicy(rc, executor),
    };
  }

  /**
   * Runs the operation as the request's policy allows: rewritten, planned, fetched and judged
   * field by field. What was released and withheld is left in the request's outcome, where the
   * access log's stage writes it down before the reply leaves.
   */
  private async executeWithinPolicy(rc: GatewayGraphQLRequestContext, executor: GatewayExecutor) {
    const context = rc.context as AuthorizationContext;
    const outcome = context.outcome;
    if (outcome) {
      outcome.operationType = rc.operation?.operation;
      outcome.operationName = rc.operationName ?? rc.request.operationName ?? null;
    }
    const collected: { collector?: ReturnType<typeof createAuditCollector> } = {};
    // A chronology is judged as the agencies' own fields it is made of, then put together.
    const chronology = this.chronology.expand(rc);
    const result = chronology.refused
      ? { errors: chronology.refused }
      : chronology.finish(await this.judged(chronology.rc, executor, collected));
    if (outcome) {
      const withheldByAgency = new Map<string, number>();
      for (const error of result.errors ?? []) {
        const ext = (error as GraphQLError).extensions;
        if (ext?.code !== WITHHELD) continue;
        const owner = String(ext.owner);
        withheldByAgency.set(owner, (withheldByAgency.get(owner) ?? 0) + 1);
      }
      outcome.answered = {
        operationName: rc.operationName ?? rc.request.operationName ?? null,
        queryText: rc.request.query ?? print(rc.document),
        collected: collected.collector,
        hasErrors: (result.errors?.length ?? 0) > 0,
        hasData: result.data !== undefined && result.data !== null,
        withheldByAgency,
      };
    }
    return result;
  }

  private async judged(
    rc: GatewayGraphQLRequestContext,
    executor: GatewayExecutor,
    /** Where the filter's collector is left, for the access log. */
    collected: { collector?: ReturnType<typeof createAuditCollector> },
  ): Promise<ExecutionResult> {
    const context = rc.context as AuthorizationContext;
    const authority = context.authority;
    // Fail closed: no policy snapshot, or a request that reached here without authorization.
    if (!authority || !context.authorization) {
      return {
        errors: [
          new GraphQLError("Authorization is not available; no data is returned.", {
            extensions: { code: "AUTHORIZATION_UNAVAILABLE" },
          }),
        ],
      };
    }
    // The schema is read from the requester's role schema: the graph as their roles can ever
    // be given it, and nothing else (see role-schema.ts).
    const introspection = introspectionIn(rc.document, rc.operationName);
    if (introspection === "mixed") {
      return {
        errors: [
          new GraphQLError(
            "Ask for __schema or __type in an operation of its own, without data fields: the schema is answered apart from the data.",
            { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } },
          ),
        ],
      };
    }
    if (introspection === "only") {
      const roleSchema = this.roleSchemas.schemaFor(
        rc.schema,
        authority,
        context.authorization.roles,
      );
      return executeSync({
        schema: roleSchema,
        document: rc.document,
        operationName: rc.operationName,
        variableValues: rc.request.variables,
      });
    }
    const judge = createJudge(authority, context.authorization);
    const cacheKey = `${judge.key}|${rc.queryHash}|${rc.operationName ?? ""}`;
    let entry = this.rewritten.get(cacheKey);
    if (!entry) {
      let document: DocumentNode;
      try {
        document = rewriteForAuthorization(rc.schema, rc.document, judge);
      } catch (error) {
        if (error instanceof GraphQLError) return { errors: [error] };
        throw error;
      }
      entry = {
        document,
        characters: rc.request.query?.length ?? rc.source?.length ?? 0,
        queryHash: createHash("sha256").update(print(document)).digest("hex"),
      };
      this.rewritten.set(cacheKey, entry);
    }
    const schema = this.filterSchema ?? rc.schema;
    const authorization = context.authorization;
    // Shown to shadow mode off the response path, as Apollo shaped it: shaped only if it asks.
    const show = (fetched: () => ExecutionResult) => {
      const observe = this.observe;
      if (!observe) return;
      setImmediate(() =>
        observe({
          schema,
          document: rc.document,
          operationName: rc.operationName,
          variables: rc.request.variables,
          get fetched() {
            return fetched();
          },
          authorization,
          live: authority,
        }),
      );
    };
    // The compiled pass builds the answer from the fetched data itself, Apollo's shaping skipped
    // (raw-results.ts); when it cannot, the data is shaped after all and goes the old way.
    const compiled = this.compiledFor(entry, schema, authority, rc, judge);
    const raw = compiled ? requestRaw(rc.request.variables) : undefined;
    let result = await executor({
      ...rc,
      ...(raw ? { request: { ...rc.request, variables: raw.variables } } : {}),
      document: entry.document,
      queryHash: entry.queryHash,
      context: { ...rc.context, judge },
    });
    if (raw?.skipped) {
      const fetched = result;
      let shaped: ExecutionResult | undefined;
      const shape = () => {
        shaped ??= shapedResult(raw, fetched);
        return shaped;
      };
      if (compiled && !fetched.errors?.length && fetched.data != null) {
        const collect = createAuditCollector((type, field) => judge.ownerOf(type, field));
        const passed = runCompiledPass({
          compiled,
          variables: rc.request.variables,
          data: fetched.data,
          judge,
          collect,
          raw: true,
        });
        if (passed) {
          rawResults.answered++;
          show(shape);
          collected.collector = collect;
          return passed;
        }
      }
      result = shape();
    }
    const answer = result;
    show(() => answer);
    // The compiled pass answers what it can exactly as re-execution would; a result with a
    // subgraph's errors in it (placed at the fields they concern) is re-executed.
    const data = result.data;
    if (!result.errors?.length && data !== null && data !== undefined && compiled) {
      const collect = createAuditCollector((type, field) => judge.ownerOf(type, field));
      const passed = runCompiledPass({
        compiled,
        variables: rc.request.variables,
        data,
        judge,
        collect,
      });
      if (passed) {
        collected.collector = collect;
        return passed;
      }
    }
    const collect = createAuditCollector((type, field) => judge.ownerOf(type, field));
    collected.collector = collect;
    return filterResult({
      schema,
      document: rc.document,
      operationName: rc.operationName,
      variables: rc.request.variables,
      result,
      judge,
      collect,
    });
  }

  /** The entry's compiled pass, compiled now if the schema or the policy changed since. */
  private compiledFor(
    entry: Rewritten,
    schema: GraphQLSchema,
    authority: Authority,
    rc: GatewayGraphQLRequestContext,
    judge: Judge,
  ): CompiledOperation | null {
    const known = entry.compiled;
    if (known && known.schema === schema && known.authority === authority) return known.pass;
    let pass: CompiledOperation | null = null;
    try {
      pass = compileOperation(schema, rc.document, rc.operationName, judge.key) ?? null;
    } catch {
      pass = null;
    }
    entry.compiled = { pass, schema, authority };
    return pass;
  }
}
