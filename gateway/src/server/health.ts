import type { ServerResponse } from "node:http";
import { sendJson } from "@mash/kit/http";
import { checkSubgraphs } from "../health/subgraph-health.ts";
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";

type Subgraphs = Parameters<typeof checkSubgraphs>[0];

/** GET /health: 200 when every subgraph answers, else 503 naming each that does not and why. */
export function healthHandler(options: {
  subgraphs: Subgraphs;
  timeoutMs: number;
  /** How subgraphs are reached (transport/subgraph-transport.ts), as every other request is. */
  transport?: SubgraphTransport;
  policyVersion: () => string;
}) {
  return async (res: ServerResponse) => {
    const results = await checkSubgraphs(options.subgraphs, options.timeoutMs, options.transport);
    const down = results.filter((r) => !r.ok);
    sendJson(res, down.length ? 503 : 200, {
      status: down.length ? "unavailable" : "ok",
      supergraph: "loaded",
      policies: options.policyVersion(),
      subgraphs: Object.fromEntries(results.map((r) => [r.name, r.ok ? "ok" : r.problem])),
      ...(down.length ? { unavailable: down.map((r) => r.name) } : {}),
    });
  };
}
