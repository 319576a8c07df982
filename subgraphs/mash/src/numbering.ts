import type { Dialect } from "@mash/kit";
import { type Kysely, sql } from "kysely";
import type { MashDB } from "./store.ts";

/**
 * Numbers (ENQ-n, CON-n) are the highest so far plus one. On PostgreSQL concurrent transactions
 * would read the same highest and clash; under load a few retries were not enough (2 in 178
 * openings failed at 8 concurrent practitioners), so each numbering takes a transaction-scoped
 * advisory lock first: openings are numbered one after another, and the lock ends with the
 * transaction. SQLite runs one transaction at a time already.
 */
export async function lockNumbering(
  trx: Kysely<MashDB>,
  dialect: Dialect,
  series: "enquiries" | "contacts",
): Promise<void> {
  if (dialect !== "postgres") return;
  await sql`select pg_advisory_xact_lock(hashtext(${`mash.${series}.number`}))`.execute(trx);
}
