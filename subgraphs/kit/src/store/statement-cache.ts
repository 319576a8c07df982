import type Database from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/** Distinct statement texts kept per store (a batch of n ids is its own text for each n). */
const STATEMENTS_KEPT = 512;

/**
 * The store's SQLite database as Kysely's SqliteDialect uses it, with each statement text
 * prepared once: Kysely prepares every query it runs afresh, which on a request reaching all
 * seven stores cost about a millisecond of the event loop. A better-sqlite3 statement binds its
 * parameters for one run only, so reusing it runs the same query as a new one would; SQLite
 * prepares it again itself after a schema change. One still iterating (a stream) is never handed
 * out a second time: that text gets a statement of its own. Least recently used texts are
 * forgotten past STATEMENTS_KEPT.
 */
export function preparingOnce(database: Database.Database, kept = STATEMENTS_KEPT): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(text) {
      const known = statements.get(text);
      if (known && !known.busy) {
        statements.delete(text);
        statements.set(text, known);
        return known;
      }
      const statement = database.prepare(text);
      if (!known) {
        if (statements.size >= kept) statements.delete(statements.keys().next().value as string);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}
