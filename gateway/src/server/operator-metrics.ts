import { createServer, type Server } from "node:http";
import type { Logger } from "@mash/kit";
import { listen, sendJson } from "@mash/kit/http";
import type { GatewayMetrics } from "./metrics.ts";
import type { MetricsAccess } from "./metrics-access.ts";

/** The operator's own listener: /metrics without a credential, nothing else. */
export async function serveOperatorMetrics(
  address: NonNullable<MetricsAccess["address"]>,
  metrics: GatewayMetrics,
  logger: Logger,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      sendJson(res, 404, { error: "Only /metrics is served here." });
      return;
    }
    metrics.serve(req, res).catch((error: Error) => {
      logger.error("metrics failed", { error: error.message });
      if (!res.headersSent) sendJson(res, 500, { error: "Internal error" });
    });
  });
  const port = await listen(server, address.port, address.host);
  const host = address.host === "0.0.0.0" ? "127.0.0.1" : address.host;
  return { server, url: `http://${host}:${port}/metrics` };
}
