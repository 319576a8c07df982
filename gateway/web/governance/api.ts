/**
 * The console's one way to the governance API: the apps' shared request (shared/graphql-request.ts)
 * to /governance/graphql with the officer's bearer token. Any error becomes an ApiError carrying
 * every message and its extensions.code, so screens show exactly what the API refused and why.
 */

import { graphqlRequest } from "../shared/graphql-request.ts";

export const GOVERNANCE_ENDPOINT = "/governance/graphql";

export function governanceRequest<T>(
  authorization: string,
  query: string,
  variables?: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T> {
  return graphqlRequest<T>({
    endpoint: GOVERNANCE_ENDPOINT,
    authorization,
    query,
    variables,
    signal,
  });
}
