import type { Logger } from "@mash/kit";
import type { RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { AuditLog } from "../audit/store.ts";
import { AuthorizingGateway } from "../authz/authorizing-gateway.ts";
import { createPurposeResolver } from "../authz/purpose.ts";
import { rawResultsAvailable } from "../authz/raw-results.ts";
import type { GatewayConfig } from "../config.ts";
import type { PolicyRuntime } from "../governance/policy-runtime.ts";
import { followPurposeChanges, type PublicationFollower } from "../governance/policy-sync.ts";
import type { Verifier } from "../identity/verify.ts";
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";
import { createApolloServer } from "./apollo-server.ts";
import { createFederation } from "./federation.ts";
import { graphPipeline } from "./graph-pipeline.ts";
import type { GatewayMetrics } from "./metrics.ts";
import type { RateLimiters } from "./rate-limiters.ts";
import { type ContextSigner, gatewayCaller } from "./subgraph-context.ts";

export interface GraphEntryDeps {
  config: GatewayConfig;
  supergraph: { sdl: string; subgraphs: readonly { name: string; url: string }[] };
  sign: ContextSigner;
  transport: SubgraphTransport;
  runtime: PolicyRuntime;
  /** False only for the benchmark's enforcement-off gateway (GatewayOptions.authorization). */
  enforce: boolean;
  access: { audit: AuditLog; aggregates: RefusalAggregates } | undefined;
  verify: Verifier;
  limiters: RateLimiters;
  metrics: GatewayMetrics;
  logger: Logger;
}

export interface GraphEntry {
  /** POST /graphql: every request through the pipeline, judged and recorded. */
  graph: ReturnType<typeof graphPipeline>;
  apollo: ReturnType<typeof createApolloServer>;
  /** Ends stated purposes here when a mutation through any gateway ended them. */
  purposes: PublicationFollower;
}

/**
 * The graph's entry: Apollo's gateway over the supergraph, wrapped by the sharing rules, behind
 * Apollo Server, behind the request pipeline (identity, limits, purpose, access log).
 */
export async function createGraphEntry(deps: GraphEntryDeps): Promise<GraphEntry> {
  const { config, supergraph, sign, transport, runtime, enforce, logger } = deps;
  const { policies } = runtime;
  // From the supergraph file's own names and URLs (MASH_SUBGRAPH_URLS laid over), or the
  // subgraphs composed at start: the same list for fetches, health and subject counts.
  const urlOf = new Map(supergraph.subgraphs.map((s) => [s.name, s.url]));
  const hub = policies.authority().policy;
  const hubSubgraph = hub.agencies.get(hub.hub)?.subgraphs[0] ?? hub.hub;
  const hubUrl = urlOf.get(hubSubgraph);
  if (!hubUrl)
    throw new Error(`No URL for the hub's subgraph "${hub.hub}" among the configured subgraphs.`);

  // Without the hook every answer is shaped by Apollo and then judged: correct, but slower.
  if (enforce && !rawResultsAvailable)
    logger.warn(
      "Apollo's result shaping cannot be skipped in this build: answers are walked twice",
    );
  const federation = createFederation({
    supergraphSdl: supergraph.sdl,
    urlOf,
    sign,
    transport,
    timeoutMs: config.subgraphRequestTimeoutMs,
    logger,
    metrics: deps.metrics.fetches,
  });
  const { gateway } = federation;
  const authorizing = enforce
    ? new AuthorizingGateway(
        gateway,
        () => policies.authority(),
        (observation) => runtime.shadow.observe(observation),
        config.limits,
      )
    : undefined;
  const resolveEnquiry = createPurposeResolver({
    hubUrl,
    timeoutMs: config.subgraphTimeoutMs,
    signContext: (requestId, body) => sign(hubSubgraph, gatewayCaller(requestId), body),
    transport,
  });
  const purposes = followPurposeChanges({
    store: runtime.store,
    onChange: resolveEnquiry.forget,
    logger,
  });
  try {
    const apollo = createApolloServer({
      served: authorizing ?? gateway,
      validation: authorizing?.validationPlugin(),
      forgetPurposes: resolveEnquiry.forget,
      announcePurposeChange: () => runtime.store.announcePurposeChange(),
      logger,
    });
    await apollo.start();
    const graph = graphPipeline({
      logger,
      metrics: deps.metrics,
      access: deps.access,
      verify: deps.verify,
      anonymous: deps.limiters.anonymous,
      rateLimiter: deps.limiters.users,
      resolveEnquiry,
      authority: () => policies.authority(),
      maxBodyBytes: config.maxBodyBytes,
      maxTokens: config.limits.maxTokens,
      limits: config.limits,
      // The schema as served (the chronology the gateway expands counted as the lists it reads).
      schema: authorizing
        ? () => {
            const api = federation.apiSchema();
            return api && authorizing.servedSchema(api);
          }
        : federation.apiSchema,
      apollo,
    });
    return { graph, apollo, purposes };
  } catch (error) {
    await purposes.stop().catch(() => {});
    throw error;
  }
}
