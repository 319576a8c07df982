import type { Kysely } from "kysely";
import type { AuditTables, CheckpointRow } from "./audit-tables.ts";
import { canonicalJson } from "./record.ts";

/**
 * Retention: removes records 1..upTo (and any earlier cut) with their index rows and
 * notifications, and stores a checkpoint, signed by `sign`, holding the hash of record upTo, so
 * the rest of the chain still verifies. One transaction: a cut is never half made.
 */
export async function purgeThrough(
  db: Kysely<AuditTables>,
  upTo: number,
  sign: (body: string) => string,
): Promise<CheckpointRow> {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom("audit_log")
      .select(["seq", "hash"])
      .where("seq", "=", upTo)
      .executeTakeFirst();
    if (!last) throw new Error(`No audit record ${upTo} to purge through.`);
    const body = canonicalJson({ seq: upTo, hash: last.hash, at: new Date().toISOString() });
    const row: CheckpointRow = { seq: upTo, body, signature: sign(body) };
    await trx.insertInto("audit_checkpoint").values(row).execute();
    await trx.deleteFrom("audit_agency").where("seq", "<=", upTo).execute();
    await trx.deleteFrom("audit_subject").where("seq", "<=", upTo).execute();
    await trx.deleteFrom("audit_notification").where("seq", "<=", upTo).execute();
    await trx.deleteFrom("audit_log").where("seq", "<=", upTo).execute();
    return row;
  });
}
