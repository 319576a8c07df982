import { createHash, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { type AuditEntry, openAuditStore } from "@mash/gateway";
import { prng } from "@mash/kit";
import { type Backend, tempStores } from "@mash/kit/testing";
import type { InsertObject, Transaction } from "kysely";
import { canonicalCopy } from "../../gateway/src/audit/canonical-before.test-support.ts";
import { agencyRows, notificationRows, subjectRows } from "../../gateway/src/audit/index-rows.ts";
import { type ChainHead, columnsOf, linkBatch } from "../../gateway/src/audit/link-batch.ts";
import { appendOnPostgres } from "../../gateway/src/audit/postgres-append.ts";
import { type AuditRecord, GENESIS } from "../../gateway/src/audit/record.ts";
import { openSqliteAppender } from "../../gateway/src/audit/sqlite-append.ts";
import type { AuditTables } from "../../gateway/src/audit/store.ts";
import { firstErrorCode } from "../../gateway/src/pipeline/pipeline.ts";
import { benchAuditEventLoop } from "./audit-event-loop.ts";

export interface AuditBenchResult {
  backend: Backend;
  concurrency: number;
  records: number;
  perSecond: number;
  /** Time from calling append to its promise resolving, queueing included. */
  p50: number;
  p95: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const agencies = ["police", "childrens-services", "health", "education", "probation", "mash"];

/**
 * Entries shaped like the gateway's for a SubjectOverview or a list: twenty released fields from
 * six agencies, a few withheld, and between 1 and 50 subjects (a search result page at the top).
 */
export function entries(count: number): AuditEntry[] {
  const rng = prng(7);
  return Array.from({ length: count }, (_, i) => {
    const subjects = Array.from(
      { length: rng.int(1, 50) },
      (_, s) => `S-${1001 + ((i + s) % 5000)}`,
    );
    const entry: AuditEntry = {
      at: new Date().toISOString(),
      requestId: randomUUID(),
      userId: `user-${rng.int(1, 40)}`,
      agency: rng.pick(agencies),
      roles: ["social-worker", "mash-analyst"].slice(0, rng.int(1, 2)),
      enquiryId: rng.chance(0.9) ? `ENQ-${rng.int(2000, 2999)}` : null,
      breakGlassReason: null,
      operationName: rng.chance(0.5) ? "SubjectOverview" : "SearchSubjects",
      queryHash: (i % 16).toString(16).repeat(64),
      subjects,
      released: Array.from({ length: 20 }, (_, f) => ({
        field: `Type${f % 7}.field${f}`,
        agency: agencies[f % agencies.length] as string,
      })),
      withheld: Array.from({ length: rng.int(0, 4) }, (_, f) => ({
        field: `Intelligence.field${f}`,
        rule: "police-intelligence-sources",
      })),
      outcome: rng.chance(0.7) ? "partial" : "ok",
    };
    // Each owning agency saw every subject, as in a list of people: the store indexes one row
    // per (agency, subject). Assigned rather than written in the literal so the bench still
    // compiles against an entry type without `seen`.
    return Object.assign(entry, { seen: agencies.map((agency) => ({ agency, subjects })) });
  });
}

/**
 * Appends `records` entries with `concurrency` appends outstanding at a time, as that many
 * requests finishing together in one gateway would, on a fresh store.
 */
export async function benchAudit(
  backend: Backend,
  concurrency: number,
  records: number,
): Promise<AuditBenchResult> {
  const temp = tempStores(backend);
  const log = await openAuditStore(temp.configFor("audit"));
  try {
    const work = entries(records);
    // A few appends first, so migrations, the first head read and connection set-up are not timed.
    for (const entry of entries(20)) await log.append(entry);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < work.length) {
          const entry = work[next++] as AuditEntry;
          const t0 = performance.now();
          await log.append(entry);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      backend,
      concurrency,
      records,
      perSecond: records / seconds,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
    };
  } finally {
    await log.close();
    await temp.cleanup();
  }
}

/** One part of the append measured both ways in the same process: µs per call, and new / old. */
export interface AuditPartResult {
  part: string;
  oldMicros: number;
  newMicros: number;
  ratio: number;
}

/** The median of `rounds` timings of `calls` calls of `f`, in µs per call. */
function microsPerCall(f: () => unknown, calls: number, rounds = 7): number {
  for (let i = 0; i < calls; i++) f();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) f();
    times.push(((performance.now() - t0) * 1000) / calls);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)] as number;
}

/** A federation answer of ~90 KB, as Apollo writes it (errors first), with or without withheld fields. */
function answerBody(withheld: boolean): string {
  const people = Array.from({ length: 300 }, (_, i) => ({
    id: `S-${1001 + i}`,
    name: `Person ${i}`,
    dateOfBirth: "2014-03-01",
    address: { line1: `${i} Example Street`, town: "Exampleton", postcode: "EX1 1AA" },
    flags: ["sealed", "open-case"].slice(0, i % 3),
    contacts: Array.from({ length: 3 }, (_, c) => ({ id: `C-${i}-${c}`, concern: "A concern" })),
  }));
  const errors = withheld
    ? Array.from({ length: 20 }, (_, i) => ({
        message: `Intelligence.source is withheld by police-intelligence-sources: ask police.`,
        path: ["subjects", i, "intelligence", "source"],
        extensions: { code: "WITHHELD", rule: "police-intelligence-sources", owner: "police" },
      }))
    : undefined;
  return `${JSON.stringify({ errors, data: { subjects: people } })}\n`;
}

/** What the access log did before issue 14 to find a reply's first error code: parse it all. */
function firstErrorCodeParsed(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] })
      .errors?.[0]?.extensions?.code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Linking as the store did before issue 14: the canonical JSON written twice, for hash and body. */
function linkAsBefore(batch: AuditEntry[], previous: ChainHead) {
  let head = previous;
  const records: AuditRecord[] = [];
  const rows: AuditTables["audit_log"][] = [];
  for (const entry of batch) {
    const record: AuditRecord = { ...entry, seq: head.seq + 1 };
    const hash = createHash("sha256")
      .update(canonicalCopy(record))
      .update("\n")
      .update(head.hash)
      .digest("hex");
    rows.push({
      seq: record.seq,
      body: canonicalCopy(record),
      prev_hash: head.hash,
      hash,
      ...columnsOf(record),
    });
    records.push(record);
    head = { seq: record.seq, hash };
  }
  return { records, rows, last: head };
}

/** The write of one batch as the store did it before issue 14: Kysely, chunked, in a transaction. */
async function kyselyWrite(
  db: Transaction<AuditTables>,
  rows: AuditTables["audit_log"][],
  records: AuditRecord[],
) {
  const chunked = async <T extends keyof AuditTables>(table: T, all: AuditTables[T][]) => {
    for (let i = 0; i < all.length; i += 500)
      await db
        .insertInto(table)
        .values(all.slice(i, i + 500) as unknown as InsertObject<AuditTables, T>[])
        .execute();
  };
  await chunked("audit_log", rows);
  await chunked("audit_agency", records.flatMap(agencyRows));
  await chunked("audit_subject", records.flatMap(subjectRows));
  await chunked("audit_notification", records.flatMap(notificationRows));
}

/**
 * The access log's costs on the request path, each measured the old way and the new way in one
 * process: the first error code of a ~90 KB answer (the whole body parsed, or its head), linking
 * a batch (canonical JSON of a sorted copy twice per record, or the shared sort once), and
 * linking and writing a batch of `batch` records on each backend (as before: that linking and
 * Kysely's chunked inserts; now: the store's path, statements prepared once on SQLite, one
 * statement on PostgreSQL). The two take turns, batch by batch, each on a fresh store; medians.
 */
export async function benchAuditParts(
  backends: Backend[] = ["sqlite"],
  batch = 32,
  batches = 40,
): Promise<AuditPartResult[]> {
  const results: AuditPartResult[] = [];
  const add = (part: string, oldMicros: number, newMicros: number) =>
    results.push({ part, oldMicros, newMicros, ratio: newMicros / oldMicros });
  for (const withheld of [false, true]) {
    const reply = { status: 200, headers: {}, body: answerBody(withheld) };
    if (firstErrorCode(reply) !== firstErrorCodeParsed(reply.body))
      throw new Error("firstErrorCode disagrees with parsing the whole body");
    add(
      `first error code, ${Math.round(reply.body.length / 1024)} KB answer${withheld ? ", 20 withheld" : ""}`,
      microsPerCall(() => firstErrorCodeParsed(reply.body), 200),
      microsPerCall(() => firstErrorCode(reply), 200),
    );
  }
  const sample = entries(batch);
  const previous = { seq: 41, hash: "f".repeat(64) };
  add(
    `link ${batch} records`,
    microsPerCall(() => linkAsBefore(sample, previous), 50),
    microsPerCall(() => linkBatch(sample, previous), 50),
  );
  // Its "before" is the event loop's work before the direct canonical writer (not issue 14's).
  for (const r of benchAuditEventLoop()) add(r.part, r.oldMicros, r.newMicros);
  for (const backend of backends) {
    process.stderr.write(`audit parts: ${batches} batches of ${batch} on ${backend}...\n`);
    const temp = tempStores(backend);
    const old = await openAuditStore(temp.configFor("old"));
    const now = await openAuditStore(temp.configFor("new"));
    const config = now.store.config;
    const appender =
      config.kind === "sqlite" ? openSqliteAppender(config.file, { fullSync: false }) : undefined;
    try {
      let oldHead: ChainHead = { seq: 0, hash: GENESIS };
      let newHead: ChainHead = { seq: 0, hash: GENESIS };
      const oldTimes: number[] = [];
      const newTimes: number[] = [];
      for (let b = 0; b < batches; b++) {
        const work = entries(batch);
        let t0 = performance.now();
        await old.store.db.transaction().execute(async (trx) => {
          const linked = linkAsBefore(work, oldHead);
          await kyselyWrite(trx, linked.rows, linked.records);
          oldHead = linked.last;
        });
        oldTimes.push((performance.now() - t0) * 1000);
        t0 = performance.now();
        newHead = appender
          ? appender.append(work, newHead).last
          : (await appendOnPostgres(now.store.db, work, newHead)).last;
        newTimes.push((performance.now() - t0) * 1000);
      }
      const median = (times: number[]) =>
        times.sort((x, y) => x - y)[Math.floor(times.length / 2)] as number;
      add(`link and write ${batch} records on ${backend}`, median(oldTimes), median(newTimes));
    } finally {
      appender?.close();
      await old.close();
      await now.close();
      await temp.cleanup();
    }
  }
  return results;
}
