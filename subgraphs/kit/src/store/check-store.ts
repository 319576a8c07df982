import { sql } from "kysely";
import type { Store } from "./open-store.ts";
import type { StoreDamage } from "./store-damage.ts";

/**
 * The check a store gets before it serves: cheap enough for every start, and finding what the
 * first query would otherwise find for the first user. Its pages were read as it opened
 * (openStore's checkPages, before any migration); here, one row of each table the agency expects,
 * which finds a table gone. Returns the damage found (the store is marked with it), or
 * undefined. A column gone is found by the first statement that names it.
 */
export async function checkStore<DB>(
  store: Store<DB>,
  tables: readonly string[],
): Promise<StoreDamage | undefined> {
  if (store.damage) return store.damage;
  try {
    for (const table of tables)
      await sql`select * from ${sql.table(table)} limit 1`.execute(store.db);
  } catch (error) {
    // The statement that failed as damage has marked the store; anything else is not damage.
    if (store.damage) return store.damage;
    throw error;
  }
  return undefined;
}
