import type { SubgraphEndpoint } from "../config.ts";
import type { SubgraphSdl } from "./compose.ts";

/**
 * Reads each running subgraph's schema through the federation `_service` field. Subgraphs answer
 * only the gateway, so the fetch carries a context the gateway signs for itself.
 */
export async function fetchSubgraphSdl(
  endpoint: SubgraphEndpoint,
  timeoutMs: number,
  signContext: (subgraph: string) => Promise<string>,
): Promise<SubgraphSdl> {
  const context = await signContext(endpoint.name);
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-mash-context": context },
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
    errors?: { message?: string }[];
  } | null;
  if (response.status === 401) {
    // The keys do not match: say which setting to look at instead of "gave no schema".
    throw new Error(
      `subgraph "${endpoint.name}" at ${endpoint.url} refused the gateway's signed context: ${body?.errors?.[0]?.message ?? "HTTP 401"} The gateway's MASH_CONTEXT_SIGNING_KEY and the subgraph's MASH_CONTEXT_VERIFY_KEYS must be one key pair.`,
    );
  }
  const sdl = body?.data?._service?.sdl;
  if (!response.ok || !sdl) {
    throw new Error(
      `subgraph "${endpoint.name}" at ${endpoint.url} gave no schema (HTTP ${response.status}).`,
    );
  }
  return { ...endpoint, sdl };
}
