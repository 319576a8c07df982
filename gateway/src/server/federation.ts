import { ApolloGateway } from "@apollo/gateway";
import type { QueryPlan } from "@apollo/query-planner";
import type { Logger } from "@mash/kit";
import { buildASTSchema, type GraphQLSchema, parse } from "graphql";
import { planGuard } from "../authz/plan-guard.ts";
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";
import { type BoundedStore, queryPlanStore } from "./bounded-store.ts";
import type { FetchMetrics } from "./metrics.ts";
import { type ContextSigner, SigningDataSource } from "./subgraph-context.ts";

export interface FederationOptions {
  supergraphSdl: string;
  /** Each subgraph's URL (the supergraph's, with MASH_SUBGRAPH_URLS laid over). */
  urlOf: ReadonlyMap<string, string>;
  sign: ContextSigner;
  transport: SubgraphTransport;
  timeoutMs: number;
  logger: Logger;
  metrics: FetchMetrics;
  /** Where query plans are kept: a bounded store with the default bounds if not given. */
  queryPlans?: BoundedStore<QueryPlan>;
}

/**
 * ApolloGateway over the supergraph: planning and fetching, every fetch signed for its subgraph
 * and guarded, query plans never exposed. The schemas it loads are kept for the stages that need
 * them (the API schema for the limits, the full supergraph for the plan guard).
 */
export function createFederation(options: FederationOptions) {
  const { urlOf, logger } = options;
  let apiSchema: GraphQLSchema | undefined;
  // The plan guard places every field a fetch names, @inaccessible ones included.
  let supergraphSchema: GraphQLSchema | undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // Query plans name every subgraph and field fetched; no client may ask for them.
    __exposeQueryPlanExperimental: false,
    experimental_didResolveQueryPlan: planGuard(() => supergraphSchema),
    // A plan is kept per document planned (rewritten per role set): bounded explicitly, in
    // entries and bytes, rather than by Apollo's 30 MiB default (bounded-store.ts says why).
    queryPlannerConfig: { cache: options.queryPlans ?? queryPlanStore() },
    buildService: ({ name, url }) => {
      const target = urlOf.get(name) ?? url;
      if (!target) throw new Error(`No URL for subgraph "${name}" in the supergraph or config.`);
      return new SigningDataSource(name, target, options.sign, {
        timeoutMs: options.timeoutMs,
        logger,
        metrics: options.metrics,
        transport: options.transport,
      });
    },
    logger: {
      debug: () => {},
      info: (m) => logger.info(String(m)),
      warn: (m) => logger.warn(String(m)),
      // A supergraph composed without a subgraph's routing URL makes ApolloGateway log this
      // even when MASH_SUBGRAPH_URLS gives one (buildService uses it): no error then.
      error: (m) => {
        const missing = /^Service definition for service (.+) is missing a url$/.exec(String(m));
        if (!missing || !urlOf.has(missing[1] as string)) logger.error(String(m));
      },
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    apiSchema = schema;
    supergraphSchema = buildASTSchema(parse(coreSupergraphSdl), { assumeValidSDL: true });
  });
  return {
    gateway,
    apiSchema: () => apiSchema,
  };
}
