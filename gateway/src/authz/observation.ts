import type { DocumentNode, ExecutionResult, GraphQLSchema } from "graphql";
import type { Authority } from "./ability.ts";
import type { RequestAuthorization } from "./judge.ts";

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

/** One request's observation but what was fetched, which is only known once it is. */
export type ObservedRequest = Omit<Observation, "fetched">;

/**
 * Shows a request to shadow mode off the response path, as Apollo shaped it: shaped only if it
 * asks. Without an observer, nothing is shown.
 */
export function showObservation(
  observe: ((observation: Observation) => void) | undefined,
  request: ObservedRequest,
): (fetched: () => ExecutionResult) => void {
  return (fetched) => {
    if (!observe) return;
    setImmediate(() =>
      observe({
        schema: request.schema,
        document: request.document,
        operationName: request.operationName,
        variables: request.variables,
        get fetched() {
          return fetched();
        },
        authorization: request.authorization,
        live: request.live,
      }),
    );
  };
}
