import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import type { StoreConfig } from "../config.ts";
import { SERVED_TABLE, type ServedRow } from "./table.ts";

export interface ServedLogWindow {
  /** ISO 8601: rows at or after. */
  since?: string;
  /** ISO 8601: rows before. */
  until?: string;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * An agency's served log, read without migrating or writing anything (the tool reading it is
 * not the agency): undefined when the store, or the table, is not there.
 */
export async function readServedLog(
  config: StoreConfig,
  window: ServedLogWindow = {},
): Promise<ServedRow[] | undefined> {
  const since = window.since ?? "";
  // Every ISO 8601 time sorts before this.
  const until = window.until ?? "9999";
  const rows =
    config.kind === "sqlite"
      ? readSqlite(config.file, since, until)
      : await readPostgres(config.url, config.schema, since, until);
  return rows?.map((r) => ({ ...r, id: Number(r.id), entities: Number(r.entities) }));
}

function readSqlite(file: string, since: string, until: string): ServedRow[] | undefined {
  if (!existsSync(file)) return undefined;
  const database = new Database(file, { fileMustExist: true });
  try {
    database.pragma("query_only = ON");
    const table = database
      .prepare("select name from sqlite_master where type = 'table' and name = ?")
      .get(SERVED_TABLE);
    if (!table) return undefined;
    return database
      .prepare(`select * from ${SERVED_TABLE} where at >= ? and at < ? order by id`)
      .all(since, until) as ServedRow[];
  } finally {
    database.close();
  }
}

async function readPostgres(
  url: string,
  schema: string,
  since: string,
  until: string,
): Promise<ServedRow[] | undefined> {
  const client = new pg.Client({
    connectionString: url,
    options: `-c search_path=${quoteIdent(schema)} -c default_transaction_read_only=on`,
  });
  await client.connect();
  try {
    const exists = await client.query<{ t: string | null }>("select to_regclass($1) as t", [
      `${quoteIdent(schema)}.${SERVED_TABLE}`,
    ]);
    if (!exists.rows[0]?.t) return undefined;
    const result = await client.query<ServedRow>(
      `select * from ${SERVED_TABLE} where at >= $1 and at < $2 order by id`,
      [since, until],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}
