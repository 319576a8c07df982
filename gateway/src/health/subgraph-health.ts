import type { SubgraphEndpoint } from "../config.ts";
import {
  createSubgraphTransport,
  PlainSubgraphUrl,
  type SubgraphTransport,
} from "../transport/subgraph-transport.ts";

export interface SubgraphHealth {
  name: string;
  ok: boolean;
  /** Why it is not healthy: no answer, or what it answered. */
  problem?: string;
}

/** A subgraph's health endpoint sits beside its GraphQL endpoint (…/graphql -> …/health). */
export const healthUrl = (graphqlUrl: string): string => new URL("health", graphqlUrl).toString();

/**
 * Our subgraphs' /health (subgraphs/kit) answers `{status, agency}`, and `problem` when it is
 * unavailable. Only that answer is taken as the subgraph's own word: a foreign server's /health
 * may be absent, a catch-all page, or its GraphQL endpoint answering any path, none of which
 * says the graph is served.
 */
function isOurHealth(body: unknown): body is { status: string; agency: string; problem?: unknown } {
  if (typeof body !== "object" || body === null) return false;
  const { status, agency } = body as { status?: unknown; agency?: unknown };
  return typeof agency === "string" && (status === "ok" || status === "unavailable");
}

/**
 * The problem a subgraph states ("store damaged", "store does not answer"), repeated on the
 * gateway's /health, which is open to all: only a short phrase of words is repeated, never what
 * could be a file path, an address or a database's message.
 */
const STATED_PROBLEM = /^[a-z][a-z ,'-]{0,59}$/i;

function problemOf(body: { problem?: unknown }, status: number): string {
  const { problem } = body;
  return typeof problem === "string" && STATED_PROBLEM.test(problem)
    ? problem
    : `health check answered HTTP ${status}`;
}

/**
 * Is a subgraph up? Ours by their /health (they refuse unsigned GraphQL, so a probe would fail
 * on them). Any other federation subgraph by a `{ __typename }` query: the least a GraphQL
 * server answers, with no field of anyone's data. One deadline covers both requests. Both go
 * through the transport every subgraph request takes (HTTPS with the configured CA, the client
 * certificate), so a subgraph the gateway cannot reach over it is named unhealthy.
 */
export async function checkSubgraph(
  endpoint: SubgraphEndpoint,
  timeoutMs: number,
  transport: SubgraphTransport = plain(),
): Promise<SubgraphHealth> {
  const signal = AbortSignal.timeout(timeoutMs);
  const { name } = endpoint;
  try {
    const response = await transport.fetch(healthUrl(endpoint.url), { signal });
    // Ours answers JSON; anything else (an HTML 404 page, say) is not read at all.
    const json = (response.headers.get("content-type") ?? "").includes("json");
    const body: unknown = json
      ? await response.json().catch(() => undefined)
      : await response.body?.cancel();
    if (isOurHealth(body))
      return response.ok
        ? { name, ok: true }
        : { name, ok: false, problem: problemOf(body, response.status) };
    return await probeGraphQL(endpoint, signal, transport);
  } catch (error) {
    return { name, ok: false, problem: unreachable(error, timeoutMs) };
  }
}

/**
 * A refused certificate is told apart from a closed port by its code alone (/health is open to
 * all; the cause's message may name hosts): the gateway's log line has the rest.
 */
function unreachable(error: unknown, timeoutMs: number): string {
  if ((error as Error).name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  if (error instanceof PlainSubgraphUrl) return "unreachable (its URL is not https://)";
  const cause = (error as { cause?: { code?: unknown; cause?: { code?: unknown } } }).cause;
  const code = cause?.cause?.code ?? cause?.code;
  return typeof code === "string" && /CERT|SSL|TLS|HANDSHAKE/.test(code)
    ? `unreachable over TLS (${code})`
    : "unreachable";
}

async function probeGraphQL(
  endpoint: SubgraphEndpoint,
  signal: AbortSignal,
  transport: SubgraphTransport,
): Promise<SubgraphHealth> {
  const { name } = endpoint;
  const response = await transport.fetch(endpoint.url, {
    method: "POST",
    // JSON content type: Apollo Server's CSRF prevention lets it through without a preflight header.
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
    signal,
  });
  const body = (await response.json().catch(() => undefined)) as
    | { data?: { __typename?: unknown } }
    | undefined;
  if (!response.ok)
    return { name, ok: false, problem: `GraphQL probe answered HTTP ${response.status}` };
  if (body?.data?.__typename !== "Query")
    return { name, ok: false, problem: "GraphQL probe got no { __typename: Query } answer" };
  return { name, ok: true };
}

export function checkSubgraphs(
  endpoints: SubgraphEndpoint[],
  timeoutMs: number,
  transport: SubgraphTransport = plain(),
): Promise<SubgraphHealth[]> {
  return Promise.all(endpoints.map((e) => checkSubgraph(e, timeoutMs, transport)));
}

let shared: SubgraphTransport | undefined;
/** For callers that give no transport: plain HTTP, or HTTPS checked against the system's CAs. */
const plain = () => {
  shared ??= createSubgraphTransport();
  return shared;
};
