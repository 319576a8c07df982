import { openStore, type Store, type StoreConfig } from "@mash/kit";
import { type InsertObject, type Kysely, type Migration, sql, type Transaction } from "kysely";
import {
  type AgencyIndexRow,
  agencyRows,
  type NotificationRow,
  notificationRows,
  type SubjectIndexRow,
  subjectRows,
} from "./index-rows.ts";
import { type ChainHead, columnsOf, type LogRow } from "./link-batch.ts";
import { appendOnPostgres } from "./postgres-append.ts";
import { type AuditEntry, type AuditRecord, canonicalJson, GENESIS } from "./record.ts";
import { openSqliteAppender, type SqliteAppender } from "./sqlite-append.ts";
import { startThreadedAppender, type ThreadedAppender } from "./sqlite-append-thread.ts";

export interface AuditTables {
  audit_log: LogRow;
  audit_checkpoint: { seq: number; body: string; signature: string };
  audit_agency: AgencyIndexRow;
  audit_subject: SubjectIndexRow;
  audit_notification: NotificationRow;
}

/** Where a retention purge cut the chain: signed, so the cut cannot be moved unnoticed. */
export type CheckpointRow = AuditTables["audit_checkpoint"];

/** A stored row: the canonical record as written, its link and its hash. */
export type AuditRow = Pick<AuditTables["audit_log"], "seq" | "body" | "prev_hash" | "hash">;

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
  "0003_governance_index": {
    async up(db: Kysely<unknown>) {
      for (const [name, type] of [
        ["at", "text"],
        ["user_id", "text"],
        ["enquiry_id", "text"],
        ["break_glass", "integer"],
      ] as const)
        await db.schema.alterTable("audit_log").addColumn(name, type).execute();
      await db.schema
        .createTable("audit_access")
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_access_agency")
        .on("audit_access")
        .columns(["agency", "seq"])
        .execute();
      await db.schema
        .createIndex("audit_access_subject")
        .on("audit_access")
        .columns(["agency", "subject_id", "seq"])
        .execute();
      await db.schema
        .createTable("audit_notification")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("acknowledged_by", "text")
        .addColumn("acknowledged_at", "text")
        .execute();
      await db.schema
        .createIndex("audit_notification_agency")
        .on("audit_notification")
        .columns(["agency", "seq"])
        .execute();
      // Records written before this index existed get their rows too.
      const typed = db as unknown as Kysely<AuditTables>;
      const rows = await typed.selectFrom("audit_log").select(["seq", "body"]).execute();
      for (const row of rows) {
        const record = JSON.parse(row.body) as AuditRecord;
        await typed
          .updateTable("audit_log")
          .set(columnsOf(record))
          .where("seq", "=", row.seq)
          .execute();
        await insertChunked(typed, "audit_notification", notificationRows(record));
      }
    },
  },
  // 0003's per-(agency, person) index cost one row per agency and person: ~350 for a list of 50.
  "0004_agency_and_subject_index": {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable("audit_access").execute();
      await db.schema
        .createTable("audit_agency")
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_agency_agency")
        .on("audit_agency")
        .columns(["agency", "seq"])
        .execute();
      await db.schema
        .createTable("audit_subject")
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_subject_subject")
        .on("audit_subject")
        .columns(["subject_id", "seq"])
        .execute();
      const typed = db as unknown as Kysely<AuditTables>;
      const rows = await typed.selectFrom("audit_log").select("body").execute();
      const records = rows.map((r) => JSON.parse(r.body) as AuditRecord);
      await insertChunked(typed, "audit_agency", records.flatMap(agencyRows));
      await insertChunked(typed, "audit_subject", records.flatMap(subjectRows));
    },
  },
  // The access log's default view is practitioners' access to data; officers' own console
  // traffic is one filter away, so it needs a column of its own.
  "0005_governance_traffic": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("audit_log").addColumn("governance", "integer").execute();
      await sql`update audit_log set governance = 0`.execute(db);
      const typed = db as unknown as Kysely<AuditTables>;
      const rows = await typed
        .selectFrom("audit_log")
        .select(["seq", "body"])
        .where("body", "like", '%"governance":{%')
        .execute();
      for (const row of rows) {
        const record = JSON.parse(row.body) as AuditRecord;
        if (record.governance)
          await typed
            .updateTable("audit_log")
            .set({ governance: 1 })
            .where("seq", "=", row.seq)
            .execute();
      }
      await db.schema
        .createIndex("audit_log_governance")
        .on("audit_log")
        .columns(["governance", "seq"])
        .execute();
    },
  },
};

// Well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535 per statement.
const CHUNK = 500;

async function insertChunked<T extends keyof AuditTables>(
  db: Kysely<AuditTables> | Transaction<AuditTables>,
  table: T,
  rows: AuditTables[T][],
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // A generic table's row type is the insert type; Kysely cannot see that through T.
    const chunk = rows.slice(i, i + CHUNK) as unknown as InsertObject<AuditTables, T>[];
    await db.insertInto(table).values(chunk).execute();
  }
}

/** Where the gateway records every request; append resolves only once the record is stored. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<number>;
  close(): Promise<void>;
}

export interface AuditStore extends AuditLog {
  readonly store: Store<AuditTables>;
  /** Every row, in sequence order. */
  rows(): Promise<AuditRow[]>;
  /** The last record written before `at` (ISO 8601), for purging by date. */
  lastSeqBefore(at: string): Promise<number | undefined>;
  /** The latest retention checkpoint, if records were ever purged. */
  checkpoint(): Promise<CheckpointRow | undefined>;
  /**
   * Retention: removes records 1..upTo (and any earlier cut) and stores a checkpoint, signed by
   * `sign`, holding the hash of record upTo, so the rest of the chain still verifies.
   */
  purgeThrough(upTo: number, sign: (body: string) => string): Promise<CheckpointRow>;
  /** Called after each batch commits with the records it held (notifications go out from here). */
  onCommitted(listener: (records: AuditRecord[]) => void): void;
  /** Where the next batch is written: SQLite's writing thread, the event loop, or PostgreSQL. */
  readonly writer: "thread" | "event loop" | "postgres";
}

const afterThisTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const MAX_ATTEMPTS = 50;
/** Appends waiting when a commit finishes go into the next one together (group commit). */
const MAX_BATCH = 256;

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_BUSY";
}

interface Pending {
  entry: AuditEntry;
  resolve: (seq: number) => void;
  reject: (error: Error) => void;
}

/**
 * The hash-chained access log, on SQLite or PostgreSQL. Appends from this process are written in
 * batches, one transaction each: what arrives while a commit is in flight goes into the next,
 * so many concurrent requests share one durable write and none waits for more than two. Another
 * writer on the same store (a second gateway) makes an insert collide on the sequence number;
 * the batch re-reads the head of the chain and tries again, so records are neither lost nor
 * duplicated and the chain stays linear. The search columns, access index and owner
 * notifications are written in the same transaction as the record they come from: on SQLite by
 * statements prepared once (sqlite-append.ts), on PostgreSQL in one statement per batch
 * (postgres-append.ts); Kysely keeps the migrations, purges and reads.
 */
export async function openAuditStore(
  config: StoreConfig,
  options: {
    /** `false`: SQLite's statements on the caller's thread (tests of that path). */
    thread?: boolean;
    /** On SQLite, a sync to disk per commit (`MASH_AUDIT_SQLITE_SYNC=full`, config.audit). */
    fullSync?: boolean;
  } = {},
): Promise<AuditStore> {
  const store = await openStore<AuditTables>({ agency: "audit", config, migrations });
  const { db } = store;
  // SQLite's commit blocks the thread that runs it: a fsync per commit (synchronous = FULL)
  // would stall every append. WAL with NORMAL keeps each commit across a process crash (kill -9,
  // tested); a power cut may lose the last commits, which is why production keeps the log in
  // PostgreSQL.
  // MASH_AUDIT_SQLITE_SYNC=full trades throughput for power-loss durability on SQLite.
  const fullSync = options.fullSync === true;
  if (store.dialect === "sqlite" && fullSync) await sql`pragma synchronous = FULL`.execute(db);
  let appender: SqliteAppender | undefined;
  try {
    if (config.kind === "sqlite") appender = openSqliteAppender(config.file, { fullSync });
  } catch (error) {
    await store.close();
    throw error;
  }
  // The same statements on a thread of their own (sqlite-append-thread.ts); where one cannot
  // be had, or once it has stopped, the appender above writes on this one.
  let threaded: ThreadedAppender | undefined;
  if (config.kind === "sqlite" && options.thread !== false)
    threaded = await startThreadedAppender(config.file, { fullSync });
  let head: ChainHead | undefined;
  const pending: Pending[] = [];
  let flushing: Promise<void> | undefined;
  const listeners: ((records: AuditRecord[]) => void)[] = [];

  const readHead = async (trx: Kysely<AuditTables>): Promise<ChainHead> => {
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
  };

  // SQLite: written while holding Kysely's one connection, so no Kysely transaction of this
  // process (a purge) is open while the appender's own connection writes: one would find the
  // file locked by the other (SQLITE_BUSY). As before (Kysely's writer took the same lock), a
  // Kysely transaction on this store must not wait for an append.
  const write = async (entries: AuditEntry[]) =>
    appender
      ? db.connection().execute(async () => {
          const thread = threaded;
          if (!thread) return appender.append(entries, head);
          try {
            return await thread.append(entries, head);
          } catch (error) {
            // A thread that stopped fails its batch (closed: no answer without its record);
            // the batches after it are written here.
            if (thread.stopped) threaded = undefined;
            throw error;
          }
        })
      : appendOnPostgres(db, entries, head ?? (await readHead(db)));

  const writeBatch = async (entries: AuditEntry[]): Promise<AuditRecord[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { records, last } = await write(entries);
        head = last;
        return records;
      } catch (error) {
        head = undefined;
        if (isDuplicate(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  };

  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.splice(0, MAX_BATCH);
      try {
        const records = await writeBatch(batch.map((p) => p.entry));
        for (const [i, p] of batch.entries()) p.resolve((records[i] as AuditRecord).seq);
        // A listener (NATS) is a courtesy copy; the committed rows are the record.
        for (const listener of listeners) {
          try {
            listener(records);
          } catch {}
        }
      } catch (error) {
        for (const p of batch) p.reject(error as Error);
      }
    }
    flushing = undefined;
  };

  return {
    store,
    get writer() {
      return threaded ? "thread" : appender ? "event loop" : "postgres";
    },
    append(entry) {
      return new Promise<number>((resolve, reject) => {
        pending.push({ entry, resolve, reject });
        // On SQLite the first append waits for the rest of this turn of the event loop (the
        // requests finishing with it) and they share one commit; what comes while the writing
        // thread commits joins the next. PostgreSQL's round trip does that itself.
        flushing ??= appender ? afterThisTurn().then(flush) : flush();
      });
    },
    onCommitted(listener) {
      listeners.push(listener);
    },
    async rows() {
      const rows = await db
        .selectFrom("audit_log")
        .select(["seq", "body", "prev_hash", "hash"])
        .orderBy("seq")
        .execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },
    async lastSeqBefore(at) {
      const row = await db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .where("at", "<", at)
        .executeTakeFirst();
      return row?.seq == null ? undefined : Number(row.seq);
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
        await trx.deleteFrom("audit_agency").where("seq", "<=", upTo).execute();
        await trx.deleteFrom("audit_subject").where("seq", "<=", upTo).execute();
        await trx.deleteFrom("audit_notification").where("seq", "<=", upTo).execute();
        await trx.deleteFrom("audit_log").where("seq", "<=", upTo).execute();
        return row;
      });
    },
    async close() {
      while (flushing) await flushing;
      await threaded?.close();
      appender?.close();
      await store.close();
    },
  };
}
