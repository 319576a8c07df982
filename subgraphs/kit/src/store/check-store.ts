import { sql } from "kysely";
import type { Store } from "./open-store.ts";
import type { StoreDamage } from "./store-damage.ts";

/** How much of quick_check's report the damage keeps: enough to say where, not a page per line. */
const PROBLEMS_KEPT = 3;

/**
 * The check a store gets before it serves: cheap enough for every start, and finding what the
 * first query would otherwise find for the first user. On SQLite, `PRAGMA quick_check` reads
 * every page once (about 2 ms for the hub's store of 2,000 people, about 100 ms at 100,000;
 * README, "Hostile input, limits and degraded agencies"); on both, one row of each table the
 * agency expects, which finds a table gone. Returns the damage found (the store is marked with
 * it), or undefined. A column gone is found by the first statement that names it.
 */
export async function checkStore<DB>(
  store: Store<DB>,
  tables: readonly string[],
): Promise<StoreDamage | undefined> {
  if (store.damage) return store.damage;
  try {
    if (store.dialect === "sqlite") {
      // Damage quick_check can walk past is reported as rows; what stops it, as SQLITE_CORRUPT.
      const { rows } = await sql<{ quick_check: string }>`pragma quick_check`.execute(store.db);
      const problems = rows.map((r) => r.quick_check).filter((line) => line !== "ok");
      if (problems.length > 0)
        return store.markDamaged(
          "SQLITE_CORRUPT",
          `quick_check: ${problems.slice(0, PROBLEMS_KEPT).join("; ").replace(/\s+/g, " ")}`,
        );
    }
    for (const table of tables)
      await sql`select * from ${sql.table(table)} limit 1`.execute(store.db);
  } catch (error) {
    // The statement that failed as damage has marked the store; anything else is not damage.
    if (store.damage) return store.damage;
    throw error;
  }
  return undefined;
}
