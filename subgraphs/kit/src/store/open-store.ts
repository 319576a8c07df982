import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { StoreConfig } from "../config.ts";

export type Dialect = "sqlite" | "postgres";

/** One agency's store: a typed query builder over SQLite or PostgreSQL, and what it has done. */
export interface Store<DB> {
  readonly agency: string;
  readonly dialect: Dialect;
  readonly db: Kysely<DB>;
  /** SQL statements executed since the store opened: how tests prove batching. */
  readonly stats: { statements: number };
  /** Answers when the database does; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  agency: string;
  config: StoreConfig;
  /** Versioned migrations, applied in name order on open; names never change once shipped. */
  migrations: Record<string, Migration>;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function openStore<DB>(options: OpenStoreOptions): Promise<Store<DB>> {
  const { agency, config } = options;
  const stats = { statements: 0 };
  const log = (event: { level: string }) => {
    if (event.level === "query") stats.statements += 1;
  };

  let db: Kysely<DB>;
  if (config.kind === "sqlite") {
    mkdirSync(dirname(config.file), { recursive: true });
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
    await migrate(
      db,
      options.migrations,
      agency,
      config.kind === "postgres" ? config.schema : undefined,
    );
  } catch (error) {
    await db.destroy();
    throw error;
  }

  return {
    agency,
    dialect: config.kind,
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
) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
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
