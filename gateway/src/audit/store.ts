import { openStore, type Store, type StoreConfig } from "@mash/kit";
import { sql } from "kysely";
import { auditMigrations } from "./audit-migrations.ts";
import { lastSeqBefore, latestCheckpoint, storedRows } from "./audit-reads.ts";
import type { AuditRow, AuditTables, CheckpointRow } from "./audit-tables.ts";
import { readChainHead } from "./chain-head.ts";
import { startGroupCommit, type WriteBatch } from "./group-commit.ts";
import { appendOnPostgres } from "./postgres-append.ts";
import { purgeThrough } from "./purge-through.ts";
import type { AuditEntry, AuditRecord } from "./record.ts";
import { openSqliteAppender, type SqliteAppender } from "./sqlite-append.ts";
import { startThreadedAppender, type ThreadedAppender } from "./sqlite-append-thread.ts";

// Many modules import the tables' types from here, where the store is opened.
export type { AuditRow, AuditTables, CheckpointRow } from "./audit-tables.ts";

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

/**
 * The hash-chained access log, on SQLite or PostgreSQL. Appends from this process are written in
 * batches, one transaction each (group-commit.ts): what arrives while a commit is in flight goes
 * into the next, so many concurrent requests share one durable write and none waits for more
 * than two. Another writer on the same store (a second gateway) makes an insert collide on the
 * sequence number; the batch re-reads the head of the chain and tries again, so records are
 * neither lost nor duplicated and the chain stays linear. The search columns, access index and
 * owner notifications are written in the same transaction as the record they come from: on
 * SQLite by statements prepared once (sqlite-append.ts), on PostgreSQL in one statement per
 * batch (postgres-append.ts); Kysely keeps the migrations, purges and reads.
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
  const store = await openStore<AuditTables>({
    agency: "audit",
    config,
    migrations: auditMigrations,
  });
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

  // SQLite: written while holding Kysely's one connection, so no Kysely transaction of this
  // process (a purge) is open while the appender's own connection writes: one would find the
  // file locked by the other (SQLITE_BUSY). As before (Kysely's writer took the same lock), a
  // Kysely transaction on this store must not wait for an append.
  const write: WriteBatch = async (entries, head) =>
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
      : appendOnPostgres(db, entries, head ?? (await readChainHead(db)));
  const batches = startGroupCommit(write, { waitForTurn: appender !== undefined });

  return {
    store,
    get writer() {
      return threaded ? "thread" : appender ? "event loop" : "postgres";
    },
    append: (entry) => batches.append(entry),
    onCommitted: (listener) => batches.onCommitted(listener),
    rows: () => storedRows(db),
    lastSeqBefore: (at) => lastSeqBefore(db, at),
    checkpoint: () => latestCheckpoint(db),
    purgeThrough: (upTo, sign) => purgeThrough(db, upTo, sign),
    async close() {
      await batches.drain();
      await threaded?.close();
      appender?.close();
      await store.close();
    },
  };
}
