import { CONTEXT_HEADER } from "@mash/kit";
import type { SubgraphEndpoint } from "../config.ts";
import { type SubgraphTransport, transportProblem } from "../transport/subgraph-transport.ts";
import type { SubgraphSdl } from "./compose.ts";

/** The one document the gateway's schema fetch sends: audit:reconcile knows it by its hash. */
export const SERVICE_QUERY = "{ _service { sdl } }";

/**
 * Signs the gateway's own request to `subgraph`, bound to `body` (the exact bytes sent): in the
 * gateway, `(name, body) => sign(name, gatewayCaller(), body)` (server/subgraph-context.ts).
 */
export type GatewaySigner = (subgraph: string, body: string) => Promise<string>;

/**
 * Reads each running subgraph's schema through the federation `_service` field. Subgraphs answer
 * only the gateway, so the fetch carries a context the gateway signs for itself.
 */
export async function fetchSubgraphSdl(
  endpoint: SubgraphEndpoint,
  timeoutMs: number,
  signContext: GatewaySigner,
  transport: SubgraphTransport,
): Promise<SubgraphSdl> {
  const body = JSON.stringify({ query: SERVICE_QUERY });
  const context = await signContext(endpoint.name, body);
  let response: Response;
  try {
    response = await transport.fetch(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json", [CONTEXT_HEADER]: context },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(
      `subgraph "${endpoint.name}" at ${endpoint.url} did not answer: ${transportProblem(error)}`,
    );
  }
  const answer = (await response.json().catch(() => null)) as {
    data?: { _service?: { sdl?: string } };
    errors?: { message?: string }[];
  } | null;
  if (response.status === 401) {
    // The keys do not match: say which setting to look at instead of "gave no schema".
    throw new Error(
      `subgraph "${endpoint.name}" at ${endpoint.url} refused the gateway's signed context: ${answer?.errors?.[0]?.message ?? "HTTP 401"} The gateway's MASH_CONTEXT_SIGNING_KEY and the subgraph's MASH_CONTEXT_VERIFY_KEYS must be one key pair.`,
    );
  }
  const sdl = answer?.data?._service?.sdl;
  if (!response.ok || !sdl) {
    throw new Error(
      `subgraph "${endpoint.name}" at ${endpoint.url} gave no schema (HTTP ${response.status}).`,
    );
  }
  return { ...endpoint, sdl };
}
