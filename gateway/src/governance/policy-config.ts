import { ConfigError, type StoreConfig } from "@mash/kit";

type Env = Record<string, string | undefined>;

/**
 * Where published policy versions live, read from the environment:
 * - `MASH_POLICY_DATABASE_URL` (postgres://...): PostgreSQL, schema
 *   `${MASH_POLICY_DATABASE_SCHEMA_PREFIX}policy`; gateways follow publications by LISTEN/NOTIFY.
 * - `MASH_POLICY_FILE`: a SQLite file; gateways sharing it poll its change marker.
 * - neither: undefined; the caller uses `policies.sqlite` in the gateway's data directory.
 * Every gateway of one hub must name the same store, or they enforce different rules.
 */
export function policyStoreConfig(env: Env = process.env): StoreConfig | undefined {
  const url = env.MASH_POLICY_DATABASE_URL;
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {}
    if (!parsed || (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")) {
      // The URL may hold a password: described, never echoed.
      throw new ConfigError(
        "MASH_POLICY_DATABASE_URL",
        "is not a postgres:// URL such as postgres://policy@db.internal:5432/mash",
      );
    }
    const prefix = env.MASH_POLICY_DATABASE_SCHEMA_PREFIX ?? "";
    if (!/^[a-z_][a-z0-9_]*$/.test(`${prefix}x`)) {
      throw new ConfigError(
        "MASH_POLICY_DATABASE_SCHEMA_PREFIX",
        "may hold only lower-case letters, digits and underscores, and must not start with a digit",
      );
    }
    return { kind: "postgres", url, schema: `${prefix}policy` };
  }
  if (env.MASH_POLICY_FILE) return { kind: "sqlite", file: env.MASH_POLICY_FILE };
  return undefined;
}

/** How often a gateway polls the store's change marker (ms); undefined keeps the default. */
export function policyPollMs(env: Env = process.env): number | undefined {
  const raw = env.MASH_POLICY_POLL_MS;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 50 || n > 60_000)
    throw new ConfigError("MASH_POLICY_POLL_MS", `"${raw}" is not a whole number from 50 to 60000`);
  return n;
}
