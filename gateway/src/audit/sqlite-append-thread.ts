import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { agenciesTouched, notificationRows, subjectsSeen } from "./index-rows.ts";
import { type ChainHead, columnsOf, numberBatch } from "./link-batch.ts";
import { type AuditEntry, type AuditRecord, GENESIS } from "./record.ts";

/**
 * The access log's SQLite writes on a thread of their own. Each commit writes every page the
 * batch changed to the write-ahead log (the subject index alone touches a page per person: some
 * 200 KB for a list of fifty), about a millisecond of the event loop per record. Here the records
 * are still numbered and written as canonical JSON on the caller's thread, with their search
 * columns and index rows, by the same code as sqlite-append.ts (so what is stored is byte for
 * byte what it was); the worker hashes the chain (sha256 of each body, a newline and the hash
 * before, as chainHashOf: some 20 µs of the event loop a record) and runs the statements, in one
 * IMMEDIATE transaction per batch that first checks the chain's head is the one the batch was
 * numbered after and linked to (another process may have appended since); if not, the batch is
 * numbered again after the head it found. `append` resolves only once that transaction has
 * committed: no record, no answer, as before.
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
  /** The head the batch is numbered after; the first record links to its hash. */
  expect: ChainHead;
  /** seq, body, at, user_id, enquiry_id, break_glass, governance, ... (the hashes: the worker's) */
  log: unknown[];
  /** seq, agency, ... */
  agencies: unknown[];
  /** seq, subject_id, ... */
  subjects: unknown[];
  /** id, seq, agency, body, acknowledged_by, acknowledged_at, ... */
  notifications: unknown[];
}

interface Result {
  head?: ChainHead;
  stale?: ChainHead;
  /** The head after a written batch: its last record's number and hash. */
  last?: ChainHead;
}

type Reply =
  | { id: number; result: Result }
  | { id: number; error: { message: string; code?: string } };

// Statements and order as sqlite-append.ts: all log rows, all agency rows, all subject rows,
// then the notifications. Each hash as record.ts's chainHashOf, worked out before the
// transaction so the write lock is held no longer than the inserts take.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const Database = require(workerData.sqlite);
// Named for top -H, ps -L and the bench: Linux names every thread of the process "node".
try { require("node:fs").writeFileSync("/proc/thread-self/comm", workerData.threadName); } catch {}
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
const hashesOf = (m) => {
  const hashes = [];
  let previous = m.expect.hash;
  for (let i = 0; i < m.log.length; i += 7) {
    previous = createHash("sha256").update(m.log[i + 1]).update("\\n").update(previous).digest("hex");
    hashes.push(previous);
  }
  return hashes;
};
const write = db.transaction((m, hashes) => {
  const head = readHead();
  if (head.seq !== m.expect.seq || head.hash !== m.expect.hash) return { stale: head };
  const l = m.log, a = m.agencies, s = m.subjects, n = m.notifications;
  let last = m.expect;
  for (let i = 0, r = 0; i < l.length; i += 7, r++) {
    insertLog.run(l[i], l[i + 1], last.hash, hashes[r], l[i + 2], l[i + 3], l[i + 4], l[i + 5], l[i + 6]);
    last = { seq: l[i], hash: hashes[r] };
  }
  for (let i = 0; i < a.length; i += 2) insertAgency.run(a[i], a[i + 1]);
  for (let i = 0; i < s.length; i += 2) insertSubject.run(s[i], s[i + 1]);
  for (let i = 0; i < n.length; i += 6) insertNotification.run(n[i], n[i + 1], n[i + 2], n[i + 3], n[i + 4], n[i + 5]);
  return { last };
});
parentPort.on("message", (m) => {
  if (m.kind === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const result = m.kind === "head" ? { head: readHead() } : write.immediate(m, hashesOf(m));
    parentPort.postMessage({ id: m.id, result });
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
parentPort.postMessage({ ready: db.pragma("synchronous", { simple: true }) });
`;

/** The writing thread's name (Linux's task comm): `top -H` and the bench tell it apart. */
export const WRITER_THREAD_NAME = "mash-audit";

/** A batch found another head this many times in a row: reported as SQLite's BUSY, and retried. */
const MAX_RELINKS = 50;

/**
 * The flat lists of one numbered batch (sqlite-append.ts's rows, in its order), built straight
 * from the records rather than from index-rows.ts's row objects; the same values, as the test
 * against the appender on the caller's thread checks.
 */
export function messageFor(
  expect: ChainHead,
  batch: ReturnType<typeof numberBatch>,
): Omit<WriteMessage, "kind"> {
  const { records, bodies } = batch;
  const log: unknown[] = [];
  const agencies: unknown[] = [];
  const subjects: unknown[] = [];
  const notifications: unknown[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as AuditRecord;
    const c = columnsOf(r);
    log.push(r.seq, bodies[i], c.at, c.user_id, c.enquiry_id, c.break_glass, c.governance);
    for (const agency of agenciesTouched(r).keys()) agencies.push(r.seq, agency);
  }
  for (const r of records) for (const subject of subjectsSeen(r)) subjects.push(r.seq, subject);
  for (const r of records)
    for (const n of notificationRows(r))
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
      workerData: {
        file,
        fullSync: options.fullSync,
        sqlite,
        genesis: GENESIS,
        threadName: WRITER_THREAD_NAME,
      },
    });
  } catch {
    return undefined;
  }
  const waiting = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
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
    new Promise<Result>((resolve, reject) => {
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
        const batch = numberBatch(entries, known.seq);
        const { stale, last } = await ask({ kind: "write", ...messageFor(known, batch) });
        if (last) return { records: batch.records, last };
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
