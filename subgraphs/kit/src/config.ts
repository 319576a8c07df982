import { fileURLToPath } from "node:url";
import { ConfigError } from "./errors.ts";

/** The repository's `data/` folder: the same place whichever workspace a command runs from. */
export const defaultDataDir = fileURLToPath(new URL("../../../data", import.meta.url));

export type StoreConfig =
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string; schema: string };

type Env = Record<string, string | undefined>;

const agencyEnvKey = (agency: string) => agency.toUpperCase().replace(/-/g, "_");

/**
 * Where an agency keeps its records. SQLite under the data directory unless a PostgreSQL URL is
 * configured for all agencies (`MASH_DATABASE_URL`) or for this one
 * (`MASH_DATABASE_URL_POLICE`, ...). On PostgreSQL each agency gets its own schema, so agencies
 * sharing one server still cannot read each other's tables by accident.
 */
export function storeConfigFor(agency: string, env: Env): StoreConfig {
  const ownKey = `MASH_DATABASE_URL_${agencyEnvKey(agency)}`;
  const url = env[ownKey] || env.MASH_DATABASE_URL;
  if (url) {
    const setting = env[ownKey] ? ownKey : "MASH_DATABASE_URL";
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(setting, "is not a URL; expected postgres://user@host:port/database");
    }
    if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
      throw new ConfigError(
        setting,
        `uses "${parsed.protocol}"; only postgres:// URLs are supported (leave it unset for the embedded SQLite store)`,
      );
    }
    const prefix = env.MASH_DATABASE_SCHEMA_PREFIX ?? "";
    if (!/^[a-z_][a-z0-9_]*$/.test(`${prefix}x`)) {
      throw new ConfigError(
        "MASH_DATABASE_SCHEMA_PREFIX",
        "may hold only lower-case letters, digits and underscores, and must not start with a digit",
      );
    }
    return { kind: "postgres", url, schema: `${prefix}${agency.replace(/-/g, "_")}` };
  }
  const dir = env.MASH_DATA_DIR || defaultDataDir;
  return { kind: "sqlite", file: `${dir}/${agency}.sqlite` };
}

/** A TCP port from the environment, or the fallback; 0 asks the OS for a free one. */
export function portFrom(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(key, `"${raw}" is not a port number (0 to 65535)`);
  }
  return port;
}

/** A positive whole number from the environment, or the fallback. */
export function countFrom(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ConfigError(key, `"${raw}" is not a whole number`);
  }
  return n;
}
