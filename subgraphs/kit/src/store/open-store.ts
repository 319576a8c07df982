import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { StoreConfig } from "../config.ts";
import { PRIVATE_DIR_MODE, privateSqliteFile } from "./private-files.ts";

export * from "./private-files.ts";

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
  /** Answers when the database does; throws otherwise. */
  ping(): Promise<void>;
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
}

/** The kit's own tables, written beside a request (served/table.ts SERVED_TABLE). */
const KIT_TABLES = /\bserved_requests\b/;

/** Where Kysely keeps track of the kit's migrations, apart from the agency's. */
const KIT_MIGRATION_TABLES = {
  migrationTableName: "kit_migration",
  migrationLockTableName: "kit_migration_lock",
};

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function openStore<DB>(options: OpenStoreOptions): Promise<Store<DB>> {
  const { agency, config } = options;
  const stats = { statements: 0, kitStatements: 0 };
  const log = (event: { level: string; query: { sql: string } }) => {
    if (event.level !== "query") return;
    if (KIT_TABLES.test(event.query.sql)) stats.kitStatements += 1;
    else stats.statements += 1;
  };

  let db: Kysely<DB>;
  if (config.kind === "sqlite") {
    mkdirSync(dirname(config.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    privateSqliteFile(config.file);
    const database = new Database(config.file);
    // WAL lets the health check and readers run beside a long seed; NORMAL is durable across
    // process crashes, which is what an embedded development store needs.
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
    database.pragma("busy_timeout = 5000");
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database }), log });
  } else {
    await ensureSchema(config.url, config.schema);
    const pool = new pg.Pool({
      connectionString: config.url,
      options: `-c search_path=${quoteIdent(config.schema)}`,
      max: 10,
    });
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
  }

  try {
    const schema = config.kind === "postgres" ? config.schema : undefined;
    await migrate(db, options.migrations, agency, schema);
    if (options.kitMigrations)
      await migrate(db, options.kitMigrations(config.kind), agency, schema, KIT_MIGRATION_TABLES);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  return {
    agency,
    dialect: config.kind,
    config,
    db,
    stats,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  } catch (error) {
    // Two agencies starting together can race on the catalogue; the schema exists either way.
    if ((error as { code?: string }).code !== "23505") throw error;
  } finally {
    await client.end();
  }
}

async function migrate<DB>(
  db: Kysely<DB>,
  migrations: Record<string, Migration>,
  agency: string,
  schema: string | undefined,
  tables: Partial<typeof KIT_MIGRATION_TABLES> = {},
) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...tables,
    // Kysely looks for its bookkeeping tables in every schema unless told which: another store's
    // schema on the same database would make it skip creating this one's, then fail.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    const where = failed ? ` in migration ${failed.migrationName}` : "";
    throw new Error(`${agency} store: migration failed${where}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
