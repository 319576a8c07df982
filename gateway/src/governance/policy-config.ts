import type { StoreConfig } from "@mash/kit/config";
import { ConfigError } from "@mash/kit/errors";
import { storeFromEnv } from "../store-from-env.ts";

type Env = Record<string, string | undefined>;

/**
 * Where published policy versions live, read from the environment:
 * - `MASH_POLICY_DATABASE_URL` (postgres://...): PostgreSQL, schema
 *   `${MASH_POLICY_DATABASE_SCHEMA_PREFIX}policy`; gateways follow publications by LISTEN/NOTIFY.
 * - `MASH_POLICY_FILE`: a SQLite file; gateways sharing it poll its change marker.
 * - neither: undefined; the caller uses `policies.sqlite` in the gateway's data directory.
 * Every gateway of one hub must name the same store, or they enforce different rules.
 */
export function policyStoreConfig(env: Env): StoreConfig | undefined {
  return storeFromEnv(env, "POLICY", "policy");
}

/** How often a gateway polls the store's change marker (ms); undefined keeps the default. */
export function policyPollMs(env: Env): number | undefined {
  const raw = env.MASH_POLICY_POLL_MS;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 50 || n > 60_000)
    throw new ConfigError("MASH_POLICY_POLL_MS", `"${raw}" is not a whole number from 50 to 60000`);
  return n;
}

/** Below this many subjects impact shows a count only as "fewer than" it. */
export const DEFAULT_IMPACT_MIN_COUNT = 5;

/**
 * `MASH_IMPACT_MIN_COUNT`: impact shows a changed type's subject count only from this many up;
 * below it (0 included), "fewer than N". Default 5; 1 shows every count but 0.
 */
export function impactMinCount(env: Env): number {
  const raw = env.MASH_IMPACT_MIN_COUNT;
  if (raw === undefined || raw === "") return DEFAULT_IMPACT_MIN_COUNT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new ConfigError(
      "MASH_IMPACT_MIN_COUNT",
      `"${raw}" is not a whole number from 1 to 1000000`,
    );
  return n;
}
