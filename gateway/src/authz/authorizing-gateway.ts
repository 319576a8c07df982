import type { ApolloGateway } from "@apollo/gateway";
import type { ApolloServerPlugin } from "@apollo/server";
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from "@apollo/server-gateway-interface";
import { type GraphQLError, type GraphQLSchema, print } from "graphql";
import type { QueryLimits } from "../limits/query-limits-config.ts";
import type { Authority } from "./ability.ts";
import type { AuthorizationContext } from "./authorization-context.ts";
import { ChronologyServing } from "./chronology/serving.ts";
import { filterSchemaOf } from "./filter-schema.ts";
import { WITHHELD } from "./judge.ts";
import { type Collected, judgedExecution } from "./judged-execution.ts";
import type { Observation } from "./observation.ts";
import { RewrittenDocuments } from "./rewritten-documents.ts";
import { RoleSchemas, validationErrorsFor } from "./role-schema.ts";

export const AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE";

/**
 * Wraps ApolloGateway's executor: rewrite the document for this request's authorization, re-key
 * it so query plans are never shared between different authorization contexts (the gateway
 * caches plans by queryHash), execute, then filter the result field by field.
 */
export class AuthorizingGateway implements GatewayInterface {
  /** Rewritten documents and their compiled passes (see rewritten-documents.ts). */
  private readonly rewritten = new RewrittenDocuments();
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
    return this.rewritten.cached;
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
    const collected: Collected = {};
    // A chronology is judged as the agencies' own fields it is made of, then put together.
    const chronology = this.chronology.expand(rc);
    const result = chronology.refused
      ? { errors: chronology.refused }
      : chronology.finish(
          await judgedExecution({
            rc: chronology.rc,
            executor,
            collected,
            roleSchemas: this.roleSchemas,
            rewritten: this.rewritten,
            filterSchema: this.filterSchema,
            observe: this.observe,
          }),
        );
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
}
