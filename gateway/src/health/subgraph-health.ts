import type { SubgraphEndpoint } from "../config.ts";

export interface SubgraphHealth {
  name: string;
  ok: boolean;
  /** Why it is not healthy: no answer, or what it answered. */
  problem?: string;
}

/** A subgraph's health endpoint sits beside its GraphQL endpoint (…/graphql -> …/health). */
export const healthUrl = (graphqlUrl: string): string => new URL("health", graphqlUrl).toString();

export async function checkSubgraph(
  endpoint: SubgraphEndpoint,
  timeoutMs: number,
): Promise<SubgraphHealth> {
  try {
    const response = await fetch(healthUrl(endpoint.url), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok
      ? { name: endpoint.name, ok: true }
      : {
          name: endpoint.name,
          ok: false,
          problem: `health check answered HTTP ${response.status}`,
        };
  } catch (error) {
    const reason =
      (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "unreachable";
    return { name: endpoint.name, ok: false, problem: reason };
  }
}

export function checkSubgraphs(
  endpoints: SubgraphEndpoint[],
  timeoutMs: number,
): Promise<SubgraphHealth[]> {
  return Promise.all(endpoints.map((e) => checkSubgraph(e, timeoutMs)));
}
