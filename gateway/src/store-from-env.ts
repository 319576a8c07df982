import type { StoreConfig } from "@mash/kit/config";
import { ConfigError } from "@mash/kit/errors";

type Env = Record<string, string | undefined>;

/**
 * A gateway-side store (the access log, the policy versions) from the environment:
 * `MASH_<NAME>_DATABASE_URL` puts it in PostgreSQL, schema
 * `<MASH_<NAME>_DATABASE_SCHEMA_PREFIX><schema>`; `MASH_<NAME>_FILE` in a SQLite file; neither
 * leaves it to the caller's default. The URL may hold a password: described, never echoed.
 */
export function storeFromEnv(
  env: Env,
  name: "AUDIT" | "POLICY",
  schema: string,
): StoreConfig | undefined {
  const urlKey = `MASH_${name}_DATABASE_URL`;
  const url = env[urlKey];
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {}
    if (!parsed || (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")) {
      throw new ConfigError(
        urlKey,
        `is not a postgres:// URL such as postgres://${schema}@db.internal:5432/mash`,
      );
    }
    const prefixKey = `MASH_${name}_DATABASE_SCHEMA_PREFIX`;
    const prefix = env[prefixKey] ?? "";
    if (!/^[a-z_][a-z0-9_]*$/.test(`${prefix}x`)) {
      throw new ConfigError(
        prefixKey,
        "may hold only lower-case letters, digits and underscores, and must not start with a digit",
      );
    }
    return { kind: "postgres", url, schema: `${prefix}${schema}` };
  }
  const file = env[`MASH_${name}_FILE`];
  return file ? { kind: "sqlite", file } : undefined;
}
