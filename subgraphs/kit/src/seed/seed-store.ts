import { sql } from "kysely";
import type { Population } from "../population/generate.ts";
import type { AnyAgency } from "../server/agency.ts";
import type { Store } from "../store/open-store.ts";
import { type Progress, silentProgress } from "./progress.ts";

/** True when the agency's main table (the last in `tables`) has no rows. */
export async function storeIsEmpty<DB>(agency: AnyAgency, store: Store<DB>): Promise<boolean> {
  const main = agency.tables.at(-1);
  if (!main) return true;
  const row = await sql<{
    n: number | string;
  }>`select count(*) as n from ${sql.table(main)}`.execute(store.db);
  return Number(row.rows[0]?.n ?? 0) === 0;
}

/**
 * Replaces the agency's data with its part of the population, in one transaction: a seed that
 * fails part way leaves the store as it was.
 */
export async function seedStore<DB>(
  agency: AnyAgency,
  store: Store<DB>,
  population: Population,
  progress: Progress = silentProgress,
  settings?: unknown,
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    for (const table of agency.tables) await trx.deleteFrom(table as never).execute();
    await agency.seed({ db: trx, dialect: store.dialect, population, progress, settings });
  });
}
