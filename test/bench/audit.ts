import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { type AuditEntry, openAuditStore } from "@mash/gateway";
import { prng } from "@mash/kit";
import { type Backend, tempStores } from "@mash/kit/testing";

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
function entries(count: number): AuditEntry[] {
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
