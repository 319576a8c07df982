import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, type Migration, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { StoreConfig } from "../config.ts";
import { checkPages } from "./check-pages.ts";
import { closeAsFound } from "./close-as-found.ts";
import { createDamageGuard } from "./damage-guard.ts";
import { KIT_MIGRATION_TABLES, migrateStore } from "./migrate-store.ts";
import { ensureSchema, quoteIdent } from "./postgres-schema.ts";
import { PRIVATE_DIR_MODE, privateSqliteFile } from "./private-files.ts";
import { preparingOnce } from "./statement-cache.ts";
import { damageIn, type StoreDamage, StoreDamaged, storeLocation } from "./store-damage.ts";

export * from "./private-files.ts";
export * from "./store-damage.ts";

export type Dialect = "sqlite" | "postgres";

/** One agency's store: a typed query builder over SQLite or PostgreSQL, and what it has done. */
export interface Store<DB> {
  readonly agency: string;
  readonly dialect: Dialect;
  /** Where it is: for tools that read it apart from its owner (audit:reconcile, tests). */
  readonly config: StoreConfig;
  readonly db: Kysely<DB>;
  /** SQL statements executed since the store opened: how tests prove batching. */
  readonly stats: {
    statements: number;
    /** Statements on the kit's own tables (the served log): bookkeeping, not the agency's reads. */
    kitStatements: number;
  };
  /**
   * Set for good once the store is found damaged (store-damage.ts): by a statement the database
   * refused as damage, or by a check (`markDamaged`). From then no statement runs on it.
   */
  readonly damage: StoreDamage | undefined;
  /** Marks the store damaged, as a check that found it so; the first report stands. */
  markDamaged(code: string, message: string): StoreDamage;
  /** Answers when the database does; throws otherwise. */
  ping(): Promise<void>;
  /** Closes it; a damaged SQLite file is left byte for byte as it was (close-as-found.ts). */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  agency: string;
  config: StoreConfig;
  /** Versioned migrations, applied in name order on open; names never change once shipped. */
  migrations: Record<string, Migration>;
  /**
   * The kit's own tables (the served log, served/table.ts), applied after the agency's and kept
   * in a bookkeeping table of their own: a tool opening the store with the agency's migrations
   * alone (npm run seed) then finds none of its executed migrations missing.
   */
  kitMigrations?: (dialect: Dialect) => Record<string, Migration>;
  /**
   * Keep a damaged store open as unavailable rather than fail: a store found damaged while
   * opening is returned marked so (no migration runs on it), one found damaged later is marked
   * by the first statement that fails so, and this hears it once, either way. Without it,
   * openStore throws StoreDamaged for a store found damaged while opening, and a statement that
   * fails later only fails.
   */
  onDamage?: (damage: StoreDamage) => void;
  /**
   * SQLite: read every page (`PRAGMA quick_check`) before any migration, so that nothing is
   * written to a damaged file. On by default for a store kept as unavailable (onDamage); the
   * seed asks for it too. The gateway's own stores (the access log grows without bound) do not.
   */
  checkPages?: boolean;
}

/** The kit's own tables, written beside a request (served/table.ts SERVED_TABLE). */
const KIT_TABLES = /\bserved_requests\b/;

export async function openStore<DB>(options: OpenStoreOptions): Promise<Store<DB>> {
  const { agency, config } = options;
  const stats = { statements: 0, kitStatements: 0 };
  const guard = createDamageGuard(agency, storeLocation(config), options.onDamage);
  /** Marks the store damaged when the database's error says so; true if it did. */
  const damaged = (error: unknown) => {
    const found = damageIn(error);
    if (found) guard.mark(found.code, found.message);
    return found !== undefined;
  };
  // Once open, only a store kept as unavailable is marked by a failing statement: the gateway's
  // own stores (the access log, the policies) keep the failure handling they have.
  let watching = true;
  const log = (event: { level: string; query: { sql: string }; error?: unknown }) => {
    // Kysely reports every statement that fails here, whoever ran it: the first that fails as
    // damage marks the store, and the guard's plugin refuses every statement after it.
    if (event.level === "error" && watching) damaged(event.error);
    if (event.level !== "query") return;
    if (KIT_TABLES.test(event.query.sql)) stats.kitStatements += 1;
    else stats.statements += 1;
  };

  let db: Kysely<DB>;
  if (config.kind === "sqlite") {
    mkdirSync(dirname(config.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    privateSqliteFile(config.file);
    const database = new Database(config.file);
    try {
      // WAL lets the health check and readers run beside a long seed; NORMAL is durable across
      // process crashes, which is what an embedded development store needs. The first pragma is
      // the first read of the file: a file that is no database fails here (SQLITE_NOTADB).
      database.pragma("journal_mode = WAL");
      database.pragma("synchronous = NORMAL");
      database.pragma("foreign_keys = ON");
      database.pragma("busy_timeout = 5000");
      if (!guard.damage && (options.checkPages ?? options.onDamage !== undefined))
        checkPages(database, guard);
    } catch (error) {
      if (!damaged(error)) {
        database.close();
        throw error;
      }
    }
    db = new Kysely<DB>({
      dialect: new SqliteDialect({ database: preparingOnce(database) }),
      log,
      plugins: [guard.plugin],
    });
  } else {
    await ensureSchema(config.url, config.schema);
    const pool = new pg.Pool({
      connectionString: config.url,
      options: `-c search_path=${quoteIdent(config.schema)}`,
      max: 10,
    });
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log, plugins: [guard.plugin] });
  }

  const close = () =>
    guard.damage && config.kind === "sqlite"
      ? closeAsFound(config.file, () => db.destroy())
      : db.destroy();
  try {
    const schema = config.kind === "postgres" ? config.schema : undefined;
    if (!guard.damage) await migrateStore(db, options.migrations, agency, schema);
    if (options.kitMigrations && !guard.damage)
      await migrateStore(
        db,
        options.kitMigrations(config.kind),
        agency,
        schema,
        KIT_MIGRATION_TABLES,
      );
  } catch (error) {
    // A migration that failed on damage leaves the store for onDamage's caller to report.
    if (!guard.damage) {
      await close();
      throw error;
    }
  }
  if (guard.damage && !options.onDamage) {
    await close();
    throw new StoreDamaged(guard.damage);
  }
  watching = options.onDamage !== undefined;

  return {
    agency,
    dialect: config.kind,
    config,
    db,
    stats,
    get damage() {
      return guard.damage;
    },
    markDamaged: (code, message) => guard.mark(code, message),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close,
  };
}
