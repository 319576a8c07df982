import { join } from "node:path";
import type { Logger } from "@mash/kit";
import type { GatewayConfig } from "../config.ts";
import { holdPublishedPolicies, type PolicyHolder } from "./policy-holder.ts";
import { openPolicyStore, type PolicyStore } from "./policy-store.ts";
import { createShadow, type Shadow } from "./shadow.ts";
import { createShadowCandidates, type ShadowCandidates } from "./shadow-candidates.ts";

export interface PolicyRuntime {
  store: PolicyStore;
  policies: PolicyHolder;
  shadowCandidates: ShadowCandidates;
  shadow: Shadow;
  close(): Promise<void>;
}

/**
 * The policy a gateway enforces: the repository files with each agency's published version laid
 * over its own file (the store wins), following publications made through any gateway on the same
 * store, plus the pending versions shadow mode evaluates beside it. A policy that does not load
 * stops the gateway (fail closed).
 */
export async function startPolicyRuntime(options: {
  config: GatewayConfig;
  dataDir: string;
  supergraphSdl: string;
  logger: Logger;
  watch?: boolean;
}): Promise<PolicyRuntime> {
  const { config, logger } = options;
  const store = await openPolicyStore(
    config.governance.store ?? { kind: "sqlite", file: join(options.dataDir, "policies.sqlite") },
  );
  let policies: PolicyHolder;
  try {
    policies = await holdPublishedPolicies({
      dir: config.policiesDir,
      supergraphSdl: options.supergraphSdl,
      logger,
      watch: options.watch,
      source: { store, pollMs: config.governance.pollMs },
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const shadowCandidates = createShadowCandidates({
    store,
    holder: policies,
    supergraphSdl: options.supergraphSdl,
    logger,
  });
  return {
    store,
    policies,
    shadowCandidates,
    shadow: createShadow({ candidates: shadowCandidates.candidates }),
    async close() {
      policies.stop();
      shadowCandidates.stop();
      await store.close();
    },
  };
}
