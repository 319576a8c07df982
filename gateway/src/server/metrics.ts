import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@mash/kit";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { ObservedRequest } from "../pipeline/use-metrics.ts";

/** What one subgraph data source reports about its fetches. */
export interface FetchMetrics {
  observeFetch(subgraph: string, seconds: number, failed: boolean): void;
}

/**
 * The gateway's Prometheus metrics, in a registry of its own so several gateways in one process
 * (tests) keep separate counts. Labels are bounded and impersonal on purpose: operation type, HTTP
 * status, agency, subgraph. No user id, subject id or client-chosen operation name goes
 * into a label, and /metrics is for the operator only (metrics-access.ts).
 */
export function createGatewayMetrics(logger: Logger) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: "mash_gateway_requests_total",
    help: "GraphQL requests answered, by operation type and HTTP status.",
    labelNames: ["operation_type", "status"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "mash_gateway_request_duration_seconds",
    help: "Time from receiving a GraphQL request to the end of its response.",
    labelNames: ["operation_type"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const withheld = new Counter({
    name: "mash_gateway_withheld_fields_total",
    // By owning agency only: a count per rule could be set beside one's own requests to learn
    // which rule withheld what, and the access log already holds that for the owner.
    help: "Fields withheld by the sharing rules, by owning agency.",
    labelNames: ["agency"] as const,
    registers,
  });
  const fetchErrors = new Counter({
    name: "mash_gateway_subgraph_fetch_errors_total",
    help: "Subgraph fetches that failed or timed out, by subgraph.",
    labelNames: ["subgraph"] as const,
    registers,
  });
  const fetchLatency = new Histogram({
    name: "mash_gateway_subgraph_fetch_duration_seconds",
    help: "Time one subgraph fetch took, failures included, by subgraph.",
    labelNames: ["subgraph"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });

  const fetches: FetchMetrics = {
    observeFetch(subgraph, seconds, failed) {
      fetchLatency.observe({ subgraph }, seconds);
      if (failed) fetchErrors.inc({ subgraph });
    },
  };

  return {
    fetches,
    /**
     * Counts and logs one GraphQL request when it ended: one info line with the request id, the
     * user's id (never their name), operation name, status and duration.
     */
    observe(request: ObservedRequest) {
      requests.inc({ operation_type: request.operationType, status: String(request.status) });
      latency.observe({ operation_type: request.operationType }, request.seconds);
      for (const [agency, count] of request.withheldByAgency ?? []) withheld.inc({ agency }, count);
      logger.info("graphql request", {
        rid: request.rid,
        user: request.user,
        operation: request.operationName,
        operationType: request.operationType,
        status: request.status,
        ms: Math.round(request.seconds * 1000),
      });
    },
    /** GET /metrics: Prometheus text format. */
    async serve(req: IncomingMessage, res: ServerResponse) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      const body = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType });
      res.end(req.method === "HEAD" ? undefined : body);
    },
    stop() {
      registry.clear();
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
