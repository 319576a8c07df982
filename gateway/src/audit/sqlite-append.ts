import Database from "better-sqlite3";
import { agencyRows, notificationRows, subjectRows } from "./index-rows.ts";
import { type ChainHead, linkBatch } from "./link-batch.ts";
import { type AuditEntry, type AuditRecord, GENESIS } from "./record.ts";

/** The access log's write path on SQLite: prepared once, run for every batch. */
export interface SqliteAppender {
  /**
   * Links the batch after `head` (read from the file when undefined) and writes it with its
   * search columns, access index and notifications in one IMMEDIATE transaction; synchronous.
   */
  append(
    entries: readonly AuditEntry[],
    head: ChainHead | undefined,
  ): { records: AuditRecord[]; last: ChainHead };
  /** The connection's `pragma synchronous`: 1 NORMAL, 2 FULL. */
  readonly synchronous: number;
  close(): void;
}

/**
 * A connection of its own on the store's file, with its statements prepared once: Kysely builds,
 * compiles and prepares every insert anew (~3% of the gateway's CPU under load, most of it for
 * the index rows). The store's Kysely connection keeps migrations, purges and queries; the
 * caller runs `append` while holding that connection (Kysely's one-connection mutex), so an
 * append never interleaves with a Kysely transaction of this process.
 */
export function openSqliteAppender(file: string, options: { fullSync: boolean }): SqliteAppender {
  const db = new Database(file);
  // Per-connection settings, as the store's own connection has them (journal_mode is the file's).
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma(`synchronous = ${options.fullSync ? "FULL" : "NORMAL"}`);
  const lastRecord = db.prepare<[], { seq: number; hash: string }>(
    "select seq, hash from audit_log order by seq desc limit 1",
  );
  const lastCut = db.prepare<[], { body: string }>(
    "select body from audit_checkpoint order by seq desc limit 1",
  );
  const insertLog = db.prepare(
    `insert into audit_log (seq, body, prev_hash, hash, at, user_id, enquiry_id, break_glass, governance)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAgency = db.prepare("insert into audit_agency (seq, agency) values (?, ?)");
  const insertSubject = db.prepare("insert into audit_subject (seq, subject_id) values (?, ?)");
  const insertNotification = db.prepare(
    `insert into audit_notification (id, seq, agency, body, acknowledged_by, acknowledged_at)
     values (?, ?, ?, ?, ?, ?)`,
  );

  const readHead = (): ChainHead => {
    const last = lastRecord.get();
    if (last) return { seq: Number(last.seq), hash: last.hash };
    // Everything purged: the chain goes on from the latest checkpoint.
    const cut = lastCut.get();
    if (!cut) return { seq: 0, hash: GENESIS };
    const { seq, hash } = JSON.parse(cut.body) as ChainHead;
    return { seq, hash };
  };

  const write = db.transaction((entries: readonly AuditEntry[], head: ChainHead | undefined) => {
    const { records, rows, last } = linkBatch(entries, head ?? readHead());
    for (const r of rows)
      insertLog.run(
        r.seq,
        r.body,
        r.prev_hash,
        r.hash,
        r.at,
        r.user_id,
        r.enquiry_id,
        r.break_glass,
        r.governance,
      );
    // In the order the Kysely path wrote them: all agency rows, all subject rows, notifications.
    for (const record of records)
      for (const a of agencyRows(record)) insertAgency.run(a.seq, a.agency);
    for (const record of records)
      for (const s of subjectRows(record)) insertSubject.run(s.seq, s.subject_id);
    for (const record of records)
      for (const n of notificationRows(record))
        insertNotification.run(n.id, n.seq, n.agency, n.body, n.acknowledged_by, n.acknowledged_at);
    return { records, last };
  });

  return {
    // IMMEDIATE: the write lock is taken before the head is read, so another process's append
    // cannot slip in between the read and the insert.
    append: (entries, head) => write.immediate(entries, head),
    synchronous: db.pragma("synchronous", { simple: true }) as number,
    close: () => db.close(),
  };
}
