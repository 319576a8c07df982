import type Database from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/**
 * What a store keeps prepared: at most this many texts, and this much text in all. A prepared
 * statement costs memory roughly in proportion to its text (one of 1,000 ids some 140 KB), and a
 * batch of n ids is a text of its own for each n, so the bound is on the text, not the count.
 */
const KEPT = { statements: 512, characters: 256 * 1024, longest: 32 * 1024 };

/**
 * The store's SQLite database as Kysely's SqliteDialect uses it, with each statement text
 * prepared once: Kysely prepares every query it runs afresh, which on a request reaching all
 * seven stores cost about a millisecond of the event loop. A better-sqlite3 statement binds its
 * parameters for one run only, so reusing it runs the same query as a new one would; SQLite
 * prepares it again itself after a schema change. One still iterating (a stream) is never handed
 * out a second time: that text gets a statement of its own. The least recently used are
 * forgotten past the bounds; a text longer than `longest` is never kept.
 */
export function preparingOnce(database: Database.Database, kept = KEPT): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  let characters = 0;
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
      if (!known && text.length <= kept.longest) {
        while (
          statements.size > 0 &&
          (statements.size >= kept.statements || characters + text.length > kept.characters)
        ) {
          const oldest = statements.keys().next().value as string;
          statements.delete(oldest);
          characters -= oldest.length;
        }
        statements.set(text, statement);
        characters += text.length;
      }
      return statement;
    },
  };
}
