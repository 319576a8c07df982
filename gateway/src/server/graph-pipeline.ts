import type { ApolloServer } from "@apollo/server";
import type { Logger } from "@mash/kit";
import type { GraphQLSchema } from "graphql";
import type { RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { AuditLog } from "../audit/store.ts";
import type { Authority } from "../authz/ability.ts";
import type { Verifier } from "../identity/verify.ts";
import type { QueryLimits } from "../limits/query-limits.ts";
import type { RateLimiter } from "../limits/rate-limit.ts";
import { graphRecord } from "../pipeline/graph-record.ts";
import { createPipeline, type Stage } from "../pipeline/pipeline.ts";
import { useAccessLog } from "../pipeline/use-access-log.ts";
import { useAuthenticate } from "../pipeline/use-authenticate.ts";
import { useAuthorization } from "../pipeline/use-authorization.ts";
import { useBody } from "../pipeline/use-body.ts";
import { useGraphQL } from "../pipeline/use-graphql.ts";
import { useLimits } from "../pipeline/use-limits.ts";
import { useMetrics } from "../pipeline/use-metrics.ts";
import { usePurpose } from "../pipeline/use-purpose.ts";
import { useRateLimit } from "../pipeline/use-rate-limit.ts";
import type { GatewayContext, StatedEnquiry } from "../request/context.ts";
import type { GatewayMetrics } from "./metrics.ts";

type GraphContext = GatewayContext<Authority>;

export interface GraphPipelineOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  /** The access log and the aggregates of anonymous refusals; none only with enforcement off (benchmarks). */
  access: { audit: AuditLog; aggregates: RefusalAggregates } | undefined;
  verify: Verifier;
  anonymous: RateLimiter;
  rateLimiter: RateLimiter;
  resolveEnquiry: (id: string, requestId: string) => Promise<StatedEnquiry>;
  authority: () => Authority;
  maxBodyBytes: number;
  maxTokens: number;
  limits: QueryLimits;
  schema: () => GraphQLSchema | undefined;
  apollo: ApolloServer<GraphContext>;
}

/**
 * /graphql, as one list: every request passes these stages in order until one ends it, and the
 * access log and metrics see every one of them, refusals included (see pipeline.ts).
 */
export function graphPipeline(options: GraphPipelineOptions) {
  const stages: Stage<GraphContext>[] = [
    useMetrics(options.metrics),
    ...(options.access
      ? [
          useAccessLog<GraphContext>({
            ...options.access,
            logger: options.logger,
            api: "graph",
            entryFor: graphRecord,
          }),
        ]
      : []),
    useAuthenticate({ verify: options.verify, anonymous: options.anonymous }),
    useRateLimit(options.rateLimiter, "user"),
    usePurpose({ resolveEnquiry: options.resolveEnquiry, authority: options.authority }),
    // Even with enforcement off (benchmarks), the hub is told whom a search may match.
    useAuthorization(options.authority),
    useBody({ maxBodyBytes: options.maxBodyBytes, methods: ["GET", "POST"] }),
    useLimits({ limits: options.limits, maxTokens: options.maxTokens, schema: options.schema }),
    useGraphQL(options.apollo),
  ];
  return createPipeline(stages, options.logger);
}
