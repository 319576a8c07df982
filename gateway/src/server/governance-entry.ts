import type { Logger } from "@mash/kit";
import type { RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { AuditLog, AuditStore } from "../audit/store.ts";
import type { GatewayConfig } from "../config.ts";
import { createGovernanceApi } from "../governance/api.ts";
import { governanceResolvers } from "../governance/mount.ts";
import type { PolicyRuntime } from "../governance/policy-runtime.ts";
import { createSubjectCounts } from "../governance/subject-counts.ts";
import type { Verifier } from "../identity/verify.ts";
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";
import type { RateLimiters } from "./rate-limiters.ts";
import { type ContextSigner, gatewayCaller } from "./subgraph-context.ts";

export interface GovernanceEntryDeps {
  config: GatewayConfig;
  supergraph: { sdl: string; subgraphs: readonly { name: string; url: string }[] };
  sign: ContextSigner;
  transport: SubgraphTransport;
  runtime: PolicyRuntime;
  auditStore: AuditStore | undefined;
  access: { audit: AuditLog; aggregates: RefusalAggregates } | undefined;
  verify: Verifier;
  limiters: RateLimiters;
  logger: Logger;
}

/**
 * POST /governance/graphql: the officers' API over the policy store, the access log and the
 * agencies' subject counts, with its own rate limit and its own record of every step.
 */
export function createGovernanceEntry(deps: GovernanceEntryDeps) {
  const { config, supergraph, sign, transport, runtime, logger } = deps;
  return createGovernanceApi({
    verify: deps.verify,
    authority: () => runtime.policies.authority(),
    access: deps.access,
    anonymous: deps.limiters.anonymous,
    rateLimiter: deps.limiters.officers,
    resolvers: governanceResolvers({
      auditStore: deps.auditStore,
      runtime,
      supergraphSdl: supergraph.sdl,
      policiesDir: config.policiesDir,
      impactMinCount: config.governance.impactMinCount,
      subjectCounts: createSubjectCounts({
        subgraphs: [...supergraph.subgraphs],
        sign: (name) => sign(name, gatewayCaller(), ""),
        timeoutMs: config.subgraphTimeoutMs,
        fetch: transport.fetch,
      }),
      logger,
    }),
    logger,
    maxBodyBytes: config.maxBodyBytes,
    maxTokens: config.limits.maxTokens,
  });
}
