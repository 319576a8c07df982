import type { Kysely } from "kysely";
import type { AuditTables } from "./audit-tables.ts";
import type { ChainHead } from "./link-batch.ts";
import { GENESIS } from "./record.ts";

/** The last link of the chain as stored: the newest record, else the latest checkpoint. */
export async function readChainHead(trx: Kysely<AuditTables>): Promise<ChainHead> {
  const last = await trx
    .selectFrom("audit_log")
    .select(["seq", "hash"])
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  if (last) return { seq: Number(last.seq), hash: last.hash };
  // Everything purged: the chain goes on from the latest checkpoint.
  const cut = await trx
    .selectFrom("audit_checkpoint")
    .select("body")
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!cut) return { seq: 0, hash: GENESIS };
  const { seq, hash } = JSON.parse(cut.body) as ChainHead;
  return { seq, hash };
}
