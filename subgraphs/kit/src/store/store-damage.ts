import type { StoreConfig } from "../config.ts";

/**
 * A store that is not what its migrations made: a file that is no database, pages the database
 * cannot read, or (on PostgreSQL) an expected table or column gone. Nothing the agency can serve
 * from, and nothing a retry or a restart mends: an operator must restore or reseed it.
 */
export interface StoreDamage {
  agency: string;
  /** The file, or the PostgreSQL schema: what to restore. Never the URL, which may hold a password. */
  where: string;
  /** The database's own code: SQLITE_CORRUPT, SQLITE_NOTADB, 42P01, ... */
  code: string;
  /** The database's own words ("database disk image is malformed"). */
  message: string;
}

/** What a statement on a damaged store throws instead of running. */
export class StoreDamaged extends Error {
  constructor(readonly damage: StoreDamage) {
    super(
      `The ${damage.agency} store (${damage.where}) is damaged: ${damage.message} (${damage.code}). ` +
        "Nothing is read from or written to it until it is restored or reseeded.",
    );
    this.name = "StoreDamaged";
  }
}

/** Where a store is, for an operator: the file, or the schema and the server (no credentials). */
export function storeLocation(config: StoreConfig): string {
  if (config.kind === "sqlite") return config.file;
  let server = "";
  try {
    const url = new URL(config.url);
    server = ` on ${url.host}${url.pathname}`;
  } catch {
    // An unparsable URL would not have opened a pool; say no more than the schema.
  }
  return `PostgreSQL schema "${config.schema}"${server}`;
}

/**
 * SQLite's codes for a file it cannot read as a database (better-sqlite3 puts the extended code
 * on `code`: SQLITE_CORRUPT_INDEX, SQLITE_CORRUPT_SEQUENCE, ...), and PostgreSQL's for a table
 * or column the migrations made that is not there: undefined_table, undefined_column.
 */
const DAMAGE_CODES = /^(SQLITE_CORRUPT(_[A-Z]+)?|SQLITE_NOTADB|42P01|42703)$/;

/** SQLite has no code of its own for these: a table or column gone is SQLITE_ERROR. */
const SQLITE_MISSING = /^no such (table|column): /;

/**
 * The database's code and message when `error` says the store is damaged, else undefined: a
 * busy database, a constraint, a lost connection or a query's own mistake is not damage.
 */
export function damageIn(error: unknown): { code: string; message: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  if (DAMAGE_CODES.test(code) || (code === "SQLITE_ERROR" && SQLITE_MISSING.test(message)))
    return { code, message };
  return undefined;
}
