import { performance } from "node:perf_hooks";
import { insertBatches, openStore, prng, toDateTime } from "@mash/kit";
import { type Backend, tempStores } from "@mash/kit/testing";
import type { MashDB } from "@mash/mash/store";
import { sql } from "kysely";
import { migrations } from "../../subgraphs/mash/src/migrations.ts";
import { explainReport, mashPerformance } from "../../subgraphs/mash/src/performance.ts";

export interface ReportBenchResult {
  backend: Backend;
  enquiries: number;
  research: number;
  contacts: number;
  seedSeconds: number;
  /** The indexes the planner reads for the one-year report, from EXPLAIN. */
  indexes: string[];
  cases: {
    period: string;
    /** Enquiries opened in the period, as the report counted them. */
    opened: number;
    runs: number;
    statements: number;
    p50: number;
    p95: number;
  }[];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const HOUR = 3600_000;
/** Three years of enquiries, ending where the synthetic population's clock stands. */
const END = Date.parse("2026-11-25T09:00:00Z");
const SPAN = 3 * 365 * 24 * HOUR;
const RAG_HOURS = { RED: 4, AMBER: 24, GREEN: 72 } as const;
const OUTCOMES = [
  "NO_FURTHER_ACTION",
  "INFORMATION_AND_ADVICE",
  "EARLY_HELP",
  "SECTION_17_ASSESSMENT",
];
const ASKED = ["police", "health", "education", "probation", "adult-social-care"];

/**
 * A MASH's three years of work: `count` enquiries (a fifth RED), each with three research
 * requests (most answered, some late) and about 1.2 contacts, nearly all decided. Synthetic.
 */
export function syntheticWork(count: number) {
  const rng = prng(11);
  const at = (ms: number) => toDateTime(Math.min(ms, END));
  const enquiries: MashDB["enquiries"][] = [];
  const research: MashDB["research_requests"][] = [];
  const contacts: MashDB["contacts"][] = [];
  for (let i = 0; i < count; i++) {
    const opened = END - SPAN + Math.floor((SPAN * i) / count);
    const rag = rng.chance(0.2) ? "RED" : rng.chance(0.5) ? "AMBER" : "GREEN";
    const due = opened + RAG_HOURS[rag] * HOUR;
    const closed = opened + RAG_HOURS[rag] * HOUR * (0.2 + rng.next() * 1.2);
    const decided = closed < END;
    const id = `ENQ-${100_000 + i}`;
    const contacted = rng.chance(0.9);
    enquiries.push({
      id,
      number: 100_000 + i,
      status: decided ? "CLOSED" : "OPEN",
      rag,
      opened_at: at(opened),
      due_by: at(due),
      reason: "Synthetic enquiry for the performance bench",
      outcome: decided ? rng.pick(OUTCOMES) : null,
      closed_at: decided ? at(closed) : null,
      close_reason: decided ? "Synthetic decision" : null,
      lead: rng.chance(0.7) ? "childrens-services" : "adult-social-care",
      opened_by: "sw.bench",
      without_contact: contacted ? 0 : 1,
      decided_by: decided ? "mgr.bench" : null,
      feedback_at: null,
      feedback_how: null,
      feedback_by: null,
    });
    const start = rng.int(0, ASKED.length - 1);
    for (let k = 0; k < 3; k++) {
      const asked = opened + rng.int(0, 30) * 60_000;
      const answered = asked + RAG_HOURS[rag] * HOUR * rng.next() * 1.3;
      const answers = rng.chance(0.9) && answered < END;
      research.push({
        enquiry_id: id,
        agency: ASKED[(start + k) % ASKED.length] as string,
        asked_at: at(asked),
        asked_by: "sw.bench",
        released_at: null,
        released_by: null,
        release_reason: null,
        due_by: at(asked + RAG_HOURS[rag] * HOUR),
        answered_at: answers ? at(answered) : null,
        answered_by: answers ? "agency.bench" : null,
        finding: null,
        nothing_known: answers ? 1 : null,
        decision_seq: null,
      });
    }
    for (let k = contacted ? (rng.chance(0.2) ? 2 : 1) : 0; k > 0; k--) {
      const n = contacts.length + 1;
      contacts.push({
        id: `C-${n}`,
        number: n,
        received_at: at(opened - rng.int(10, 600) * 60_000),
        recorded_at: at(opened),
        recorded_by: "sw.bench",
        referrer_kind: "AGENCY",
        referrer_agency: "education",
        referrer_name: "Synthetic referrer",
        referrer_role: "teacher",
        referrer_how: null,
        concern: "Synthetic concern",
        consent_sought: 1,
        consent_reason: "Synthetic",
        screening_outcome: "PROGRESS_TO_ENQUIRY",
        screening_reason: "Synthetic",
        screened_agency: "childrens-services",
        screened_by: "sw.bench",
        screened_at: at(opened),
        enquiry_id: id,
      });
    }
  }
  return { enquiries, research, contacts };
}

/**
 * p50/p95 of `mashPerformance` over a month and a year, on a store holding `count` enquiries
 * with their research and contacts, each case run for `seconds` (at least 10 runs).
 */
export async function benchReport(
  backend: Backend,
  count: number,
  seconds: number,
): Promise<ReportBenchResult> {
  const temp = tempStores(backend);
  const store = await openStore<MashDB>({
    agency: "mash",
    config: temp.configFor("mash"),
    migrations,
  });
  try {
    const data = syntheticWork(count);
    const seeding = performance.now();
    await store.db.transaction().execute(async (trx) => {
      await insertBatches<MashDB, "enquiries">(trx, "enquiries", data.enquiries);
      await insertBatches<MashDB, "research_requests">(trx, "research_requests", data.research);
      await insertBatches<MashDB, "contacts">(trx, "contacts", data.contacts);
    });
    // PostgreSQL's autovacuum would have analysed a store this size long before; SQLite is left
    // as deployed stores are (never analysed).
    if (backend === "postgres") await sql`analyze`.execute(store.db);
    const seedSeconds = (performance.now() - seeding) / 1000;

    const periods = [
      { period: "1 month", from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z" },
      { period: "1 year", from: "2025-11-01T00:00:00Z", to: "2026-11-01T00:00:00Z" },
    ];
    const cases: ReportBenchResult["cases"] = [];
    for (const { period, from, to } of periods) {
      // Warm the statement and page caches before timing.
      for (let i = 0; i < 3; i++) await mashPerformance(store, { from, to });
      const times: number[] = [];
      const statements = store.stats.statements;
      let opened = 0;
      const started = performance.now();
      while (times.length < 10 || performance.now() - started < seconds * 1000) {
        const t0 = performance.now();
        opened = (await mashPerformance(store, { from, to })).enquiriesOpened;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      cases.push({
        period,
        opened,
        runs: times.length,
        statements: (store.stats.statements - statements) / times.length,
        p50: percentile(times, 0.5),
        p95: percentile(times, 0.95),
      });
    }
    const plan = await explainReport(store, periods[1]?.from ?? "", periods[1]?.to ?? "");
    const indexes = plan.flatMap((line) =>
      [...line.matchAll(/(?:INDEX|using) (\w+)/g)].map((m) => m[1] ?? ""),
    );
    return {
      backend,
      enquiries: count,
      indexes: [...new Set(indexes)].sort(),
      research: data.research.length,
      contacts: data.contacts.length,
      seedSeconds,
      cases,
    };
  } finally {
    await store.close();
    await temp.cleanup();
  }
}
