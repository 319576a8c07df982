import type { Kysely } from "kysely";
import type { AuditRow, AuditTables, CheckpointRow } from "./audit-tables.ts";

/** Every row, in sequence order. */
export async function storedRows(db: Kysely<AuditTables>): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom("audit_log")
    .select(["seq", "body", "prev_hash", "hash"])
    .orderBy("seq")
    .execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The last record written before `at` (ISO 8601), for purging by date. */
export async function lastSeqBefore(
  db: Kysely<AuditTables>,
  at: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("at", "<", at)
    .executeTakeFirst();
  return row?.seq == null ? undefined : Number(row.seq);
}

/** The latest retention checkpoint, if records were ever purged. */
export async function latestCheckpoint(
  db: Kysely<AuditTables>,
): Promise<CheckpointRow | undefined> {
  const row = await db
    .selectFrom("audit_checkpoint")
    .selectAll()
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { ...row, seq: Number(row.seq) } : undefined;
}
