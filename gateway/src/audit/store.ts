import { openStore, type Store, type StoreConfig } from "@mash/kit";
import type { Kysely, Migration } from "kysely";
import { type AuditEntry, type AuditRecord, canonicalJson, chainHash, GENESIS } from "./record.ts";

export interface AuditTables {
  audit_log: { seq: number; body: string; prev_hash: string; hash: string };
  audit_checkpoint: { seq: number; body: string; signature: string };
}

/** Where a retention purge cut the chain: signed, so the cut cannot be moved unnoticed. */
export type CheckpointRow = AuditTables["audit_checkpoint"];

/** A stored row: the canonical record as written, its link and its hash. */
export type AuditRow = AuditTables["audit_log"];

const migrations: Record<string, Migration> = {
  "0001_audit_log": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_log")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0002_audit_checkpoint": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_checkpoint")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("signature", "text", (c) => c.notNull())
        .execute();
    },
  },
};

/** Where the gateway records every request; append resolves only once the record is stored. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<number>;
  close(): Promise<void>;
}

export interface AuditStore extends AuditLog {
  readonly store: Store<AuditTables>;
  /** Every row, in sequence order. */
  rows(): Promise<AuditRow[]>;
  /** The latest retention checkpoint, if records were ever purged. */
  checkpoint(): Promise<CheckpointRow | undefined>;
  /**
   * Retention: removes records 1..upTo (and any earlier cut) and stores a checkpoint, signed by
   * `sign`, holding the hash of record upTo, so the rest of the chain still verifies.
   */
  purgeThrough(upTo: number, sign: (body: string) => string): Promise<CheckpointRow>;
}

const MAX_ATTEMPTS = 50;

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_BUSY";
}

/**
 * The hash-chained access log, on SQLite or PostgreSQL. Appends from this process run one at a
 * time; another writer on the same store (a second gateway) makes an insert collide on the
 * sequence number, and the append re-reads the head of the chain and tries again, so records
 * are neither lost nor duplicated and the chain stays linear.
 */
export async function openAuditStore(config: StoreConfig): Promise<AuditStore> {
  const store = await openStore<AuditTables>({ agency: "audit", config, migrations });
  const { db } = store;
  let head: { seq: number; hash: string } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const readHead = async () => {
    const last = await db
      .selectFrom("audit_log")
      .select(["seq", "hash"])
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    if (last) return { seq: Number(last.seq), hash: last.hash };
    // Everything purged: the chain goes on from the latest checkpoint.
    const cut = await db
      .selectFrom("audit_checkpoint")
      .select("body")
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!cut) return { seq: 0, hash: GENESIS };
    const { seq, hash } = JSON.parse(cut.body) as { seq: number; hash: string };
    return { seq, hash };
  };

  const write = async (entry: AuditEntry): Promise<number> => {
    for (let attempt = 0; ; attempt++) {
      head ??= await readHead();
      const record: AuditRecord = { ...entry, seq: head.seq + 1 };
      const hash = chainHash(record, head.hash);
      try {
        await db
          .insertInto("audit_log")
          .values({ seq: record.seq, body: canonicalJson(record), prev_hash: head.hash, hash })
          .execute();
      } catch (error) {
        head = undefined;
        if (isDuplicate(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      head = { seq: record.seq, hash };
      return record.seq;
    }
  };

  return {
    store,
    append(entry) {
      const result = queue.then(() => write(entry));
      queue = result.catch(() => {});
      return result;
    },
    async rows() {
      const rows = await db.selectFrom("audit_log").selectAll().orderBy("seq").execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },
    async checkpoint() {
      const row = await db
        .selectFrom("audit_checkpoint")
        .selectAll()
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? { ...row, seq: Number(row.seq) } : undefined;
    },
    async purgeThrough(upTo, sign) {
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
        await trx.deleteFrom("audit_log").where("seq", "<=", upTo).execute();
        return row;
      });
    },
    async close() {
      await queue;
      await store.close();
    },
  };
}
