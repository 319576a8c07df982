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
import { auditEntry, createAuditCollector } from "../audit/collect.ts";
import type { AuditLog } from "../audit/store.ts";
import type { GatewayContext } from "../server/request-auth.ts";
import type { Authority } from "./ability.ts";
import { filterResult } from "./filter.ts";
import { filterSchemaOf } from "./filter-schema.ts";
import { createJudge, type RequestAuthorization } from "./judge.ts";
import { rewriteForAuthorization } from "./rewrite.ts";
import { introspectionIn, RoleSchemas, validationErrorsFor } from "./role-schema.ts";

/** Where the request context carries authorization: set by the HTTP layer, read here. */
export interface AuthorizationContext {
  authorization?: RequestAuthorization;
  /** Set by the gateway for the plan guard; never by a client. */
  judge?: ReturnType<typeof createJudge>;
  /**
   * Internal runs only (a governance simulation): enforce this policy instead of the one in
   * force, and leave the record to the governance request that asked for the run.
   */
  internal?: { authority: Authority };
}

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

const MAX_CACHED = 2000;

export const AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE";

type Collector = ReturnType<typeof createAuditCollector>;

/**
 * Wraps ApolloGateway's executor: rewrite the document for this request's authorization, re-key
 * it so query plans are never shared between different authorization contexts (the gateway
 * caches plans by queryHash), execute, then filter the result field by field.
 */
export class AuthorizingGateway implements GatewayInterface {
  private readonly rewritten = new Map<string, { document: DocumentNode; queryHash: string }>();
  /** The schema results are re-executed on (see filterSchemaOf). */
  private filterSchema: GraphQLSchema | undefined;
  /** What each role set is told the graph holds: introspection and validation errors. */
  private readonly roleSchemas = new RoleSchemas();

  constructor(
    private readonly inner: ApolloGateway,
    private readonly authority: () => Authority | undefined,
    /** Every answered request is recorded here before it is returned; none without it. */
    private readonly audit?: AuditLog,
    private readonly onAuditFailure?: (error: Error, requestId: string) => void,
    /** Shadow mode: shown every answered request after its response is computed. */
    private readonly observe?: (observation: Observation) => void,
  ) {}

  /**
   * The requester's role schema over this API schema, from the policy that judges their request
   * (the one in force, read now, so a publication shows at once); undefined without one.
   */
  roleSchemaFor(api: GraphQLSchema, context: AuthorizationContext): GraphQLSchema | undefined {
    const authority = context.internal?.authority ?? this.authority();
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

  onSchemaLoadOrUpdate(callback: Parameters<GatewayInterface["onSchemaLoadOrUpdate"]>[0]) {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  stop() {
    return this.inner.stop();
  }

  async load(options: Parameters<GatewayInterface["load"]>[0]) {
    const loaded = await this.inner.load(options);
    this.filterSchema = filterSchemaOf(loaded.schema);
    this.inner.onSchemaLoadOrUpdate(({ apiSchema }) => {
      this.filterSchema = filterSchemaOf(apiSchema);
    });
    const executor = loaded.executor;
    if (!executor) return loaded;
    return {
      ...loaded,
      executor: (rc: GatewayGraphQLRequestContext) => this.execute(rc, executor),
    };
  }

  /**
   * Answers, then records the answer: the response waits for the audit record, and a record
   * that cannot be written means no data at all (fail closed).
   */
  private async execute(rc: GatewayGraphQLRequestContext, executor: GatewayExecutor) {
    if (!this.audit || (rc.context as AuthorizationContext).internal)
      return this.answer(rc, executor);
    let collector: Collector | undefined;
    const result = await this.answer(rc, executor, (c) => {
      collector = c;
    });
    const context = rc.context as GatewayContext;
    context.audited = true;
    try {
      await this.audit.append(
        auditEntry({
          context,
          operationName: rc.operationName ?? rc.request.operationName,
          queryText: rc.request.query ?? print(rc.document),
          collector,
          result,
        }),
      );
    } catch (error) {
      this.onAuditFailure?.(error as Error, context.requestId);
      return {
        errors: [
          new GraphQLError(
            "The access log cannot record this request, so no data is returned. Try again shortly.",
            { extensions: { code: AUDIT_UNAVAILABLE } },
          ),
        ],
      };
    }
    return result;
  }

  private async answer(
    rc: GatewayGraphQLRequestContext,
    executor: GatewayExecutor,
    collecting?: (collector: Collector) => void,
  ) {
    const context = rc.context as AuthorizationContext;
    const authority = context.internal?.authority ?? this.authority();
    // Fail closed: no loaded policy, or a request that reached here without authorization.
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
      entry = { document, queryHash: createHash("sha256").update(print(document)).digest("hex") };
      if (this.rewritten.size >= MAX_CACHED)
        this.rewritten.delete(this.rewritten.keys().next().value as string);
      this.rewritten.set(cacheKey, entry);
    }
    const result = await executor({
      ...rc,
      document: entry.document,
      queryHash: entry.queryHash,
      context: { ...rc.context, judge },
    });
    let collect: Collector | undefined;
    if (collecting) {
      collect = createAuditCollector((type, field) => judge.ownerOf(type, field));
      collecting(collect);
    }
    const schema = this.filterSchema ?? rc.schema;
    const authorization = context.authorization;
    if (this.observe && !context.internal) {
      const observe = this.observe;
      // Off the response path: shadow mode must never slow or break a practitioner's request.
      setImmediate(() =>
        observe({
          schema,
          document: rc.document,
          operationName: rc.operationName,
          variables: rc.request.variables,
          fetched: result,
          authorization,
          live: authority,
        }),
      );
    }
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
}
