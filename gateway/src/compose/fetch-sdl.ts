import type { SubgraphEndpoint } from "../config.ts";
import type { SubgraphSdl } from "./compose.ts";

/** Reads each running subgraph's schema through the federation `_service` field. */
export async function fetchSubgraphSdl(
  endpoint: SubgraphEndpoint,
  timeoutMs: number,
): Promise<SubgraphSdl> {
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _service { sdl } }" }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(
      `subgraph "${endpoint.name}" at ${endpoint.url} did not answer: ${(error as Error).message}`,
    );
  }
  const body = (await response.json().catch(() => null)) as {
    data?: { _service?: { sdl?: string } };
  } | null;
  const sdl = body?.data?._service?.sdl;
  if (!response.ok || !sdl) {
    throw new Error(
      `subgraph "${endpoint.name}" at ${endpoint.url} gave no schema (HTTP ${response.status}).`,
    );
  }
  return { ...endpoint, sdl };
}
