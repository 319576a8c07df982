import { performance } from "node:perf_hooks";
import { canonicalSharing } from "../../gateway/src/audit/canonical-before.test-support.ts";
import { auditEntry } from "../../gateway/src/audit/collect.ts";
import {
  auditEntryBefore,
  subjectRowsBefore,
} from "../../gateway/src/audit/collect-before.test-support.ts";
import { agencyRows, notificationRows } from "../../gateway/src/audit/index-rows.ts";
import { type ChainHead, columnsOf, numberBatch } from "../../gateway/src/audit/link-batch.ts";
import { type AuditEntry, type AuditRecord, chainHashOf } from "../../gateway/src/audit/record.ts";
import { messageFor } from "../../gateway/src/audit/sqlite-append-thread.ts";

const agencies = ["mash", "police", "childrens-services", "health", "education", "probation"];

/**
 * What the filter collects for a SubjectOverview (56 fields of seven agencies, one person) or a
 * list of fifty people (28 fields; every agency saw all fifty and held something on some), with
 * the fields in the order a pass meets them rather than sorted.
 */
function collected(fields: number, people: number) {
  const subjects = Array.from({ length: people }, (_, i) => `S-${1001 + ((i * 37) % people)}`);
  const byAgency = (share: number) =>
    new Map(
      agencies.map((agency, a) => [
        agency,
        new Set(subjects.filter((_, i) => (i + a) % share === 0 || share === 1)),
      ]),
    );
  return {
    released: new Map(
      Array.from({ length: fields }, (_, f) => [
        `${["Subject", "PoliceSection", "HealthSection", "Address", "caseNote"][f % 5]}.field${(f * 7) % fields}`,
        agencies[f % agencies.length] as string,
      ]),
    ),
    withheld: new Map([
      ["PoliceSection.intelligence", { agency: "police", rules: new Set(["police-sources"]) }],
      ["HealthSection.mentalHealth", { agency: "health", rules: new Set(["health-consent"]) }],
    ]),
    subjects: new Set(subjects),
    seen: byAgency(1),
    held: byAgency(3),
    flagged: new Set(subjects.slice(0, 1)),
  };
}

/** The event loop's part of appending a batch on the writing thread, as it was before. */
function beforeOnTheEventLoop(entries: AuditEntry[], previous: ChainHead): unknown[] {
  let head = previous;
  const records: AuditRecord[] = [];
  const log: unknown[] = [];
  for (const entry of entries) {
    const record: AuditRecord = { ...entry, seq: head.seq + 1 };
    const body = canonicalSharing(record);
    const hash = chainHashOf(body, head.hash);
    const c = columnsOf(record);
    log.push(record.seq, body, head.hash, hash, c.at, c.user_id, c.enquiry_id, c.break_glass);
    records.push(record);
    head = { seq: record.seq, hash };
  }
  const rows: unknown[] = [];
  for (const r of records) for (const a of agencyRows(r)) rows.push(a.seq, a.agency);
  for (const r of records) for (const s of subjectRowsBefore(r)) rows.push(s.seq, s.subject_id);
  for (const r of records) for (const n of notificationRows(r)) rows.push(n.id, n.body);
  return [log, rows];
}

/**
 * µs per call of `before` and `now`, timed in turns (a round of each, `rounds` times) so a burst
 * of load elsewhere on a shared machine spoils both alike; the median round of each.
 */
function inTurns(before: () => unknown, now: () => unknown, calls: number, rounds = 15) {
  const time = (f: () => unknown) => {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) f();
    return ((performance.now() - t0) * 1000) / calls;
  };
  time(before);
  time(now);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(time(before));
    b.push(time(now));
  }
  const median = (t: number[]) => t.sort((x, y) => x - y)[Math.floor(rounds / 2)] as number;
  return { oldMicros: median(a), newMicros: median(b) };
}

/**
 * The access log's work on the event loop for one request's record, before and now, in µs: the
 * record made from what the filter collected (auditEntry), and the batch of one made ready for
 * the writing thread (numbered, canonical JSON, index rows; before, hashed there too). Before and
 * now write the same bytes, which this checks on the way.
 */
export function benchAuditEventLoop(): { part: string; oldMicros: number; newMicros: number }[] {
  const results: { part: string; oldMicros: number; newMicros: number }[] = [];
  const previous = { seq: 41, hash: "f".repeat(64) };
  for (const [name, fields, people] of [
    ["SubjectOverview", 56, 1],
    ["50-subject list", 28, 50],
  ] as const) {
    const options = {
      context: {
        requestId: "0b1e7d1c-1c5e-4bd2-9d8c-5f1f0e4a2b3c",
        principal: { id: "mgr.okafor", agency: "childrens-services", roles: ["manager"] },
        enquiryId: "ENQ-2001",
        breakGlassReason: undefined,
      } as never,
      answered: {
        operationName: name,
        queryText: `query ${name} { ${"field ".repeat(200)}}`,
        collected: collected(fields, people),
        hasErrors: true,
        hasData: true,
        withheldByAgency: new Map(),
      },
      now: new Date(0),
    };
    const before = auditEntryBefore(options);
    const now = auditEntry(options);
    const body = numberBatch([now], previous.seq).bodies[0];
    if (body !== canonicalSharing({ ...before, seq: previous.seq + 1 }))
      throw new Error(`the ${name} record is not what it was`);
    results.push({
      part: `event loop, one ${name} record (before: localeCompare sorts, sorted copy, hash here)`,
      ...inTurns(
        () => beforeOnTheEventLoop([auditEntryBefore(options)], previous),
        () => messageFor(previous, numberBatch([auditEntry(options)], previous.seq)),
        200,
      ),
    });
  }
  return results;
}
