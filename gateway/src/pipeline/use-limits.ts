import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  parse,
  validate,
} from "graphql";
import { OperationRefused, type RequestRefused } from "../errors/catalogue.ts";
import {
  operationTypeExistsRule,
  type QueryLimits,
  queryLimitsRule,
} from "../limits/query-limits.ts";
import type { Stage } from "./pipeline.ts";

export interface LimitsOptions {
  limits: QueryLimits;
  maxTokens: number;
  /** The API schema once the supergraph is loaded. */
  schema: () => GraphQLSchema | undefined;
}

const MAX_CACHED = 1000;
/** Longer texts are judged every time: a cache of token floods would be a memory flood. */
const MAX_CACHED_CHARS = 20_000;

/** Which operation a document runs, or why none can be chosen, in words a client can act on. */
function chooseOperation(document: DocumentNode, operationName: string | undefined) {
  if (getOperationAST(document, operationName)) return undefined;
  const names = document.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? "(anonymous)"] : [],
  );
  if (names.length === 0) return "The document holds no operation to run.";
  if (operationName === undefined)
    return `The document holds ${names.length} operations (${names.join(", ")}); name the one to run in operationName.`;
  return `The document has no operation named "${operationName}"; it has ${names.join(", ")}.`;
}

/**
 * Before planning: the parser's token limit, which operation runs, that the graph has its type,
 * and the depth, alias and cost limits. Verdicts are cached by query text and operation name
 * (none of them depends on variables), so a repeated query costs a lookup.
 */
export function useLimits<C>(options: LimitsOptions): Stage<C> {
  const verdicts = new Map<string, RequestRefused | null>();
  const rules = [operationTypeExistsRule, queryLimitsRule(options.limits)];
  const judge = (query: string, operationName: string | undefined): RequestRefused | null => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError)
        return new OperationRefused("GRAPHQL_PARSE_FAILED", [error]);
      throw error;
    }
    const unchosen = chooseOperation(document, operationName);
    if (unchosen)
      return new OperationRefused("OPERATION_RESOLUTION_FAILURE", [new GraphQLError(unchosen)]);
    const schema = options.schema();
    if (!schema) return null;
    const errors = validate(schema, document, rules);
    if (errors.length === 0) return null;
    const code = errors.some((e) => e.extensions.code === "QUERY_TOO_COMPLEX")
      ? "QUERY_TOO_COMPLEX"
      : "GRAPHQL_VALIDATION_FAILED";
    return new OperationRefused(code, errors);
  };
  return {
    name: "limits",
    onRequest(request) {
      const query = request.payload?.query;
      // Anything else (a batch, a bare value, a form post) is refused by the GraphQL stage.
      if (query === undefined) return undefined;
      const operationName = request.payload?.operationName;
      const key = `${operationName ?? ""}\0${query}`;
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        verdict = judge(query, operationName);
        if (query.length <= MAX_CACHED_CHARS) {
          if (verdicts.size >= MAX_CACHED) verdicts.delete(verdicts.keys().next().value as string);
          verdicts.set(key, verdict);
        }
      }
      if (verdict) throw verdict;
      return undefined;
    },
  };
}
