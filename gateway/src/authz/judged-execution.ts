import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
} from "@apollo/server-gateway-interface";
import { type ExecutionResult, executeSync, GraphQLError, type GraphQLSchema } from "graphql";
import type { AuthorizationContext } from "./authorization-context.ts";
import { filterResult } from "./filter.ts";
import { runCompiledPass } from "./filter-pass.ts";
import { createJudge } from "./judge.ts";
import { fetchNarrowing } from "./narrow-fetch.ts";
import { type Observation, showObservation } from "./observation.ts";
import { rawResults, requestRaw, shapedResult } from "./raw-results.ts";
import { createAuditCollector } from "./release-collector.ts";
import type { RewrittenDocuments } from "./rewritten-documents.ts";
import { introspectionIn, type RoleSchemas } from "./role-schema.ts";

/** Where the filter's collector is left, for the access log. */
export interface Collected {
  collector?: ReturnType<typeof createAuditCollector>;
}

/** What the authorizing gateway holds that a judged execution reads. */
export interface JudgedExecution {
  rc: GatewayGraphQLRequestContext;
  executor: GatewayExecutor;
  collected: Collected;
  /** What each role set is told the graph holds: introspection is answered from it. */
  roleSchemas: RoleSchemas;
  rewritten: RewrittenDocuments;
  /** The schema results are re-executed on (see filterSchemaOf); the request's before a load. */
  filterSchema: GraphQLSchema | undefined;
  /** Shadow mode: shown every answered request after its response is computed. */
  observe?: (observation: Observation) => void;
}

/**
 * The operation rewritten for the request's authorization, executed, and its result judged field
 * by field: by the compiled pass where it can, by re-execution where it cannot. Introspection is
 * answered from the requester's role schema instead, and no authorization means no data.
 */
export async function judgedExecution({
  rc,
  executor,
  collected,
  roleSchemas,
  rewritten,
  filterSchema,
  observe,
}: JudgedExecution): Promise<ExecutionResult> {
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
    const roleSchema = roleSchemas.schemaFor(rc.schema, authority, context.authorization.roles);
    return executeSync({
      schema: roleSchema,
      document: rc.document,
      operationName: rc.operationName,
      variableValues: rc.request.variables,
    });
  }
  const judge = createJudge(authority, context.authorization);
  const entry = rewritten.rewrittenFor(rc, judge);
  if (entry instanceof GraphQLError) return { errors: [entry] };
  const schema = filterSchema ?? rc.schema;
  const authorization = context.authorization;
  const show = showObservation(observe, {
    schema,
    document: rc.document,
    operationName: rc.operationName,
    variables: rc.request.variables,
    authorization,
    live: authority,
  });
  // The compiled pass builds the answer from the fetched data itself, Apollo's shaping skipped
  // (raw-results.ts); when it cannot, the data is shaped after all and goes the old way.
  const compiled = rewritten.compiledFor(entry, schema, authority, rc, judge);
  const raw = compiled ? requestRaw(rc.request.variables) : undefined;
  // Fetches for people outside the purpose leave out what no rule could show them.
  const narrowing = fetchNarrowing(rc.schema, judge);
  let result = await executor({
    ...rc,
    ...(raw ? { request: { ...rc.request, variables: raw.variables } } : {}),
    document: entry.document,
    queryHash: entry.queryHash,
    context: { ...rc.context, judge, ...(narrowing ? { narrowing } : {}) },
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
