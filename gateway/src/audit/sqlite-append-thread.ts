import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { agencyRows, notificationRows, subjectRows } from "./index-rows.ts";
import { type ChainHead, linkBatch } from "./link-batch.ts";
import { type AuditEntry, type AuditRecord, GENESIS } from "./record.ts";

/**
 * The access log's SQLite writes on a thread of their own. Each commit writes every page the
 * batch changed to the write-ahead log (the subject index alone touches a page per person: some
 * 200 KB for a list of fifty), about a millisecond of the event loop per record. Here the records
 * are still numbered, linked, hashed and written as canonical JSON on the caller's thread, by
 * the same code as sqlite-append.ts (so what is stored is byte for byte what it was); only the
 * statements run on the worker, in one IMMEDIATE transaction per batch that first checks the
 * chain's head is the one the batch was linked to (another process may have appended since),
 * and the batch is linked again after the head it found if not. `append` resolves only once
 * that transaction has committed: no record, no answer, as before.
 *
 * The worker's code is plain JavaScript handed to it as text: it needs no loader and no bundle
 * entry of its own, in tests (tsx, vitest), `npm start` and the production build alike.
 */
export interface ThreadedAppender {
  append(
    entries: readonly AuditEntry[],
    head: ChainHead | undefined,
  ): Promise<{ records: AuditRecord[]; last: ChainHead }>;
  /** The worker's connection `pragma synchronous`: 1 NORMAL, 2 FULL. */
  readonly synchronous: number;
  /** The thread has stopped (closed, or died): every append now fails. */
  readonly stopped: boolean;
  close(): Promise<void>;
}

/** What the worker is sent for one batch: flat lists, cheap to copy between threads. */
interface WriteMessage {
  kind: "write";
  expect: ChainHead;
  /** seq, body, prev_hash, hash, at, user_id, enquiry_id, break_glass, governance, ... */
  log: unknown[];
  /** seq, agency, ... */
  agencies: unknown[];
  /** seq, subject_id, ... */
  subjects: unknown[];
  /** id, seq, agency, body, acknowledged_by, acknowledged_at, ... */
  notifications: unknown[];
}

type Reply =
  | { id: number; result: { head?: ChainHead; stale?: ChainHead } }
  | { id: number; error: { message: string; code?: string } };

// Statements and order as sqlite-append.ts: all log rows, all agency rows, all subject rows,
// then the notifications.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
db.pragma("foreign_keys = ON");
db.pragma("synchronous = " + (workerData.fullSync ? "FULL" : "NORMAL"));
const lastRecord = db.prepare("select seq, hash from audit_log order by seq desc limit 1");
const lastCut = db.prepare("select body from audit_checkpoint order by seq desc limit 1");
const insertLog = db.prepare("insert into audit_log (seq, body, prev_hash, hash, at, user_id, enquiry_id, break_glass, governance) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
const insertAgency = db.prepare("insert into audit_agency (seq, agency) values (?, ?)");
const insertSubject = db.prepare("insert into audit_subject (seq, subject_id) values (?, ?)");
const insertNotification = db.prepare("insert into audit_notification (id, seq, agency, body, acknowledged_by, acknowledged_at) values (?, ?, ?, ?, ?, ?)");
const readHead = () => {
  const last = lastRecord.get();
  if (last) return { seq: Number(last.seq), hash: last.hash };
  const cut = lastCut.get();
  if (!cut) return { seq: 0, hash: workerData.genesis };
  const { seq, hash } = JSON.parse(cut.body);
  return { seq, hash };
};
const write = db.transaction((m) => {
  const head = readHead();
  if (head.seq !== m.expect.seq || head.hash !== m.expect.hash) return { stale: head };
  const l = m.log, a = m.agencies, s = m.subjects, n = m.notifications;
  for (let i = 0; i < l.length; i += 9) insertLog.run(l[i], l[i + 1], l[i + 2], l[i + 3], l[i + 4], l[i + 5], l[i + 6], l[i + 7], l[i + 8]);
  for (let i = 0; i < a.length; i += 2) insertAgency.run(a[i], a[i + 1]);
  for (let i = 0; i < s.length; i += 2) insertSubject.run(s[i], s[i + 1]);
  for (let i = 0; i < n.length; i += 6) insertNotification.run(n[i], n[i + 1], n[i + 2], n[i + 3], n[i + 4], n[i + 5]);
  return {};
});
parentPort.on("message", (m) => {
  if (m.kind === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const result = m.kind === "head" ? { head: readHead() } : write.immediate(m);
    parentPort.postMessage({ id: m.id, result });
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
parentPort.postMessage({ ready: db.pragma("synchronous", { simple: true }) });
`;

/** A batch found another head this many times in a row: reported as SQLite's BUSY, and retried. */
const MAX_RELINKS = 50;

/** The flat lists of one linked batch (sqlite-append.ts's rows, in its order). */
function messageFor(
  expect: ChainHead,
  batch: ReturnType<typeof linkBatch>,
): Omit<WriteMessage, "kind"> {
  const log: unknown[] = [];
  for (const r of batch.rows)
    log.push(
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
  const agencies: unknown[] = [];
  const subjects: unknown[] = [];
  const notifications: unknown[] = [];
  for (const record of batch.records)
    for (const a of agencyRows(record)) agencies.push(a.seq, a.agency);
  for (const record of batch.records)
    for (const s of subjectRows(record)) subjects.push(s.seq, s.subject_id);
  for (const record of batch.records)
    for (const n of notificationRows(record))
      notifications.push(n.id, n.seq, n.agency, n.body, n.acknowledged_by, n.acknowledged_at);
  return { expect, log, agencies, subjects, notifications };
}

/**
 * Starts the writing thread on `file` (whose tables the store's migrations made). Resolves to
 * undefined when a thread cannot be had here, and the caller goes on writing on its own thread.
 */
export async function startThreadedAppender(
  file: string,
  options: { fullSync: boolean },
): Promise<ThreadedAppender | undefined> {
  let worker: Worker;
  try {
    const sqlite = createRequire(import.meta.url).resolve("better-sqlite3");
    worker = new Worker(WORKER, {
      eval: true,
      // The code is plain JavaScript: none of the parent's loaders (tsx) need load in it.
      execArgv: [],
      workerData: { file, fullSync: options.fullSync, sqlite, genesis: GENESIS },
    });
  } catch {
    return undefined;
  }
  const waiting = new Map<
    number,
    { resolve: (r: { head?: ChainHead; stale?: ChainHead }) => void; reject: (e: Error) => void }
  >();
  let next = 0;
  let gone: Error | undefined;
  const fail = (error: Error) => {
    gone ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const synchronous = await new Promise<number | undefined>((resolve) => {
    worker.once("message", (m: { ready?: number }) => resolve(m.ready));
    worker.once("error", () => resolve(undefined));
    worker.once("exit", () => resolve(undefined));
  });
  if (synchronous === undefined) {
    await worker.terminate().catch(() => {});
    return undefined;
  }
  worker.on("message", (reply: Reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    // Only outstanding requests keep the process alive; an idle log does not.
    if (waiting.size === 0) worker.unref();
    if ("error" in reply)
      w.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    else w.resolve(reply.result);
  });
  worker.on("error", (error) => fail(error));
  worker.on("exit", () => fail(new Error("the access log's writing thread stopped")));
  worker.unref();

  const ask = (message: { kind: "head" } | WriteMessage) =>
    new Promise<{ head?: ChainHead; stale?: ChainHead }>((resolve, reject) => {
      if (gone) return reject(gone);
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...message, id });
    });

  return {
    synchronous,
    get stopped() {
      return gone !== undefined;
    },
    async append(entries, head) {
      let known = head ?? (await ask({ kind: "head" })).head;
      for (let attempt = 0; known && attempt < MAX_RELINKS; attempt++) {
        const batch = linkBatch(entries, known);
        const { stale } = await ask({ kind: "write", ...messageFor(known, batch) });
        if (!stale) return { records: batch.records, last: batch.last };
        known = stale;
      }
      throw Object.assign(new Error("the access log's head kept moving"), { code: "SQLITE_BUSY" });
    },
    async close() {
      if (gone) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.ref();
      worker.postMessage({ kind: "close" });
      await exited;
    },
  };
}
