import type { GatewayContext } from "../request/context.ts";
import type { Stage } from "./pipeline.ts";

/** What the metrics stage learned about one request, for its log line and counters. */
export interface ObservedRequest {
  rid: string;
  user: string | undefined;
  operationName: string | undefined;
  operationType: string;
  status: number;
  seconds: number;
  /** Occurrences of withheld fields, by owning agency. */
  withheldByAgency: ReadonlyMap<string, number> | undefined;
}

/** What the metrics stage reports each request to (server/metrics.ts). */
export interface RequestMetrics {
  observe(request: ObservedRequest): void;
}

/** Counts and logs every request, refusals included, once it has its final reply. */
export function useMetrics<C extends GatewayContext<unknown>>(metrics: RequestMetrics): Stage<C> {
  return {
    name: "metrics",
    onRequest() {
      const started = process.hrtime.bigint();
      return (request) => {
        const outcome = request.context?.outcome;
        metrics.observe({
          rid: request.requestId,
          user: request.principal?.id,
          operationName: outcome?.operationName ?? request.payload?.operationName ?? undefined,
          operationType: outcome?.operationType ?? "unknown",
          status: request.reply?.status ?? 500,
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
          withheldByAgency: outcome?.answered?.withheldByAgency,
        });
      };
    },
  };
}
