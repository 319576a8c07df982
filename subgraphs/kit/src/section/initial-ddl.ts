import {
  DummyDriver,
  Kysely,
  type Migration,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import type { Dialect } from "../store/open-store.ts";

const INITIAL = "0001_initial";

/** A Kysely that runs nothing and hands each compiled statement to `heard`. */
// biome-ignore lint/suspicious/noExplicitAny: a migration is written against no table types.
function recordingDb(dialect: Dialect, heard: (sql: string) => void): Kysely<any> {
  const postgres = dialect === "postgres";
  return new Kysely({
    dialect: {
      createAdapter: () => (postgres ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) =>
        postgres ? new PostgresIntrospector(db) : new SqliteIntrospector(db),
      createQueryCompiler: () =>
        postgres ? new PostgresQueryCompiler() : new SqliteQueryCompiler(),
    },
    log: (event) => {
      if (event.level === "query") heard(event.query.sql);
    },
  });
}

/**
 * The statements an agency's first migration issues on each database, as text and without a
 * database: what a test holds against the DDL stores were created with, so that a declaration
 * can never quietly change the tables existing stores already have.
 */
export async function initialDdl(migrations: Record<string, Migration>): Promise<string> {
  const migration = migrations[INITIAL];
  if (!migration) throw new Error(`There is no ${INITIAL} migration.`);
  const parts: string[] = [];
  for (const dialect of ["sqlite", "postgres"] as const) {
    const statements: string[] = [];
    const db = recordingDb(dialect, (sql) => statements.push(`${sql};`));
    await migration.up(db);
    await db.destroy();
    parts.push(`-- ${dialect}`, ...statements);
  }
  return `${parts.join("\n")}\n`;
}
