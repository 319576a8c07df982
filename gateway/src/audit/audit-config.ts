import type { StoreConfig } from "@mash/kit/config";
import { ConfigError } from "@mash/kit/errors";
import { storeFromEnv } from "../store-from-env.ts";

type Env = Record<string, string | undefined>;

export interface AuditConfig {
  /**
   * PostgreSQL (schema `audit`) when `MASH_AUDIT_DATABASE_URL` is set, a SQLite file when
   * `MASH_AUDIT_FILE` is; otherwise undefined: `audit.sqlite` in the gateway's data directory.
   */
  store: StoreConfig | undefined;
  /**
   * `MASH_NOTIFY_NATS_URL`: owner notifications are also published to NATS, on
   * `<MASH_NOTIFY_NATS_SUBJECT, default mash.notifications>.<agency>`, once stored.
   */
  nats: { url: string; subject: string } | undefined;
  /**
   * `MASH_AUDIT_SQLITE_SYNC=full`: on SQLite, a sync to disk per commit (power-loss durability)
   * instead of WAL's NORMAL (process-crash durability, much faster).
   */
  sqliteFullSync: boolean;
}

/** The access log's settings: where it is kept, where notifications go, how SQLite commits. */
export function auditConfigFrom(env: Env): AuditConfig {
  return { store: auditStore(env), nats: natsConfig(env), sqliteFullSync: sqliteFullSync(env) };
}

function natsConfig(env: Env): AuditConfig["nats"] {
  const url = env.MASH_NOTIFY_NATS_URL;
  if (!url) return undefined;
  if (!/^(nats|tls|wss?):\/\/[^\s]+$/.test(url))
    throw new ConfigError(
      "MASH_NOTIFY_NATS_URL",
      "is not a nats:// URL such as nats://127.0.0.1:4222",
    );
  const subject = env.MASH_NOTIFY_NATS_SUBJECT || "mash.notifications";
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(subject))
    throw new ConfigError(
      "MASH_NOTIFY_NATS_SUBJECT",
      "must be dot-separated tokens such as mash.notifications",
    );
  return { url, subject };
}

/** `MASH_AUDIT_SQLITE_SYNC`: `full` (any case) syncs every commit; unset or `normal` does not. */
export function sqliteFullSync(env: Env): boolean {
  const value = env.MASH_AUDIT_SQLITE_SYNC?.trim().toLowerCase();
  if (value === undefined || value === "" || value === "normal") return false;
  if (value === "full") return true;
  throw new ConfigError(
    "MASH_AUDIT_SQLITE_SYNC",
    `"${env.MASH_AUDIT_SQLITE_SYNC}" is neither full nor normal`,
  );
}

/** Where the access log lives when configured; the data directory's audit.sqlite otherwise. */
export function auditStore(env: Env): StoreConfig | undefined {
  return storeFromEnv(env, "AUDIT", "audit");
}
