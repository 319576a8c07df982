import { countFrom, storeConfigFor } from "../subgraphs/kit/src/config.ts";
import { importSigningKey, importVerifyKeys } from "../subgraphs/kit/src/trust/keys.ts";
import { subgraphTlsFrom } from "../subgraphs/kit/src/trust/tls-config.ts";
import { configErrors } from "./preflight-config-errors.ts";
import { restartPolicyFrom } from "./restart-policy.ts";

type Env = Record<string, string | undefined>;

/**
 * What every agency's process reads at start but its store (kit/src/server/start-subgraph.ts),
 * parsed by the kit's own parsers: the same for every agency. The seed size is read only when a
 * store is empty, so a bad one would otherwise surface only on a start with a new data directory.
 */
async function agencySettings(env: Env): Promise<void> {
  // Only whether it parses: the default is the kit's business.
  countFrom(env, "MASH_SEED_SUBJECTS", 0);
  subgraphTlsFrom(env);
  if (env.MASH_CONTEXT_VERIFY_KEYS) await importVerifyKeys(env.MASH_CONTEXT_VERIFY_KEYS);
}

/** The gateway's signing key, as the gateway (and the launcher, for the subgraphs) imports it. */
async function signingKey(env: Env): Promise<void> {
  if (env.MASH_CONTEXT_SIGNING_KEY) await importSigningKey(env.MASH_CONTEXT_SIGNING_KEY);
}

/**
 * The settings the gateway and the agencies read when they start, parsed by their own parsers
 * before any of them is: the gateway's configuration but for the subgraph URLs (the launcher
 * hands it those), how people sign in, the context keys, and the kit's settings. One line per
 * problem, each a ConfigError naming its setting; a parser that stops at its first problem is
 * run again without that setting, to find the others (preflight-config-errors.ts).
 */
export async function settingProblems(env: Env, agencies: readonly string[]): Promise<string[]> {
  // Imported when the check runs, so that loading them overlaps the port and database checks.
  const [{ loadGatewayConfigExceptSubgraphs }, { loadIdentityConfig }] = await Promise.all([
    import("../gateway/src/config.ts"),
    import("../gateway/src/identity/config.ts"),
  ]);
  // Each agency's store, the one setting an agency may have of its own (MASH_DATABASE_URL_POLICE).
  const stores = agencies.map((agency) => (env: Env) => storeConfigFor(agency, env));
  const lists = await Promise.all(
    [
      loadGatewayConfigExceptSubgraphs,
      loadIdentityConfig,
      signingKey,
      ...stores,
      agencySettings,
      restartPolicyFrom,
    ].map((parse) => configErrors(parse, env)),
  );
  return lists.flat();
}
