import { parseArgs } from "node:util";
import { type Backend, storeBackends } from "@mash/kit/testing";
import { benchAudit, benchAuditParts } from "./audit.ts";
import { benchFederation } from "./federation/bench.ts";
import { federationMarkdown, federationRatios } from "./federation/report.ts";
import { ACCEPT_ENCODING, benchGateway, DEFAULT_ROUNDS } from "./gateway.ts";
import { benchMemory } from "./memory.ts";
import { benchReport } from "./performance-report.ts";
import { benchSearch } from "./search.ts";
import { benchStartup, median } from "./startup.ts";
import { benchWorkflow } from "./workflow.ts";

/**
 * `npm run bench [-- --only gateway|search|audit|report|workflow] [--seconds 12] [--rounds 12]
 * [--subjects 2000,100000] [--records 2000] [--enquiries 100000] [--case-seconds 3]
 * [--practitioners 8] [--postgres]`:
 * measures, never asserts. Prints Markdown tables to paste into a note.
 * `--only federation [--federation-seconds 4] [--federation-rounds 3]`: bare @apollo/gateway vs
 * ours on The Guild's benchmark shape; exits 1 when ours answers otherwise than bare.
 * `--only startup [--startup-runs 3]`: `npm start` to ready, empty and with data.
 * `--only memory [--memory-seconds 60]`: the gateway's RSS and heap under 50 connections.
 */
const { values } = parseArgs({
  options: {
    only: { type: "string" },
    // --only gateway: seconds per mode and scenario, in this many rounds of off and on.
    seconds: { type: "string", default: "12" },
    rounds: { type: "string", default: String(DEFAULT_ROUNDS) },
    subjects: { type: "string", default: "2000,100000" },
    records: { type: "string", default: "2000" },
    enquiries: { type: "string", default: "100000" },
    "case-seconds": { type: "string", default: "3" },
    practitioners: { type: "string", default: "8" },
    "federation-seconds": { type: "string", default: "4" },
    "federation-rounds": { type: "string", default: "3" },
    postgres: { type: "boolean", default: false },
    // --only startup: `npm start` timed this many times on empty and on seeded data.
    "startup-runs": { type: "string", default: "3" },
    // --only memory: seconds of steady load after the warm-up.
    "memory-seconds": { type: "string", default: "60" },
  },
});
const out = (s: string) => process.stdout.write(s);
const ms = (x: number) => x.toFixed(2);
/** The summary lines printed last: `mash ratio:` from the gateway section, `federation ratio:`. */
const summaryLines: { mash?: string; federation?: string } = {};
let federationFailed = false;

if (!values.only || values.only === "gateway") {
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`--seconds: a number of seconds above 0, not "${values.seconds}"`);
  const rounds = Number(values.rounds);
  // A round under a quarter of a second may see no request at all: its ratio would mean nothing.
  if (!Number.isInteger(rounds) || rounds < 1 || seconds / rounds < 0.25)
    throw new Error(
      `--rounds: a whole number of rounds, 1 or more, each of at least 0.25 s of --seconds, not "${values.rounds}"`,
    );
  process.stderr.write("gateway: starting the system (2,000 subjects) and loading it...\n");
  const { results, cost } = await benchGateway(seconds, rounds);
  // The median of the rounds' on/off ratios (gateway.ts says why rounds).
  const onOff = (scenario: string) =>
    (
      results.find((r) => r.scenario.startsWith(scenario) && r.mode === "on")?.ratio ?? Number.NaN
    ).toFixed(2);
  summaryLines.mash = `mash ratio: ${onOff("SubjectOverview")} ${onOff("50-subject list")}`;
  out(
    "\n## Gateway throughput: sharing rules enforced vs enforcement off (same run, same subgraphs)\n\n",
  );
  out(
    `8 connections; as mgr.okafor with ENQ-2001, asking \`accept-encoding: ${ACCEPT_ENCODING}\` as a browser does; ${rounds} rounds of ${ms(Number(values.seconds) / rounds)} s per mode, off and on alternating which goes first. on/off: the median of the rounds' req/s ratios (the lowest and highest round in brackets). CPU off/on: the median of the rounds' main-thread CPU per request, off over on (above 1: enforcement costs the event loop less than Apollo's own shaping). Event loop busy: the main thread's CPU over the rounds' wall time (near 100%, the event loop is what limits req/s). Answer bytes: read per request, headers included (gzipped where the gateway compressed). The access-log thread's CPU (sqlite-append-thread.ts) is part of the server's; the rest of what is not the main thread's is V8's and libuv's helpers: garbage collection, and signature checks (the client's token, each fetch's signed context).\n\n`,
  );
  out(
    "| scenario | enforcement | requests | req/s | p50 ms | p95 ms | non-200 | server CPU µs/req (main thread) | event loop busy | access-log thread µs/req | answer bytes | on/off | CPU off/on |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
  );
  const spread = (xs: number[] | undefined) =>
    xs && xs.length > 0 ? ` (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})` : "";
  for (const r of results) {
    const ratio = r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}${spread(r.ratios)}`;
    const cpu = r.cpuRatio === undefined ? "" : `${r.cpuRatio.toFixed(2)}${spread(r.cpuRatios)}`;
    out(
      `| ${r.scenario} | ${r.mode} | ${r.requests} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.errors} | ${r.cpuUs.toFixed(0)} (${r.mainCpuUs?.toFixed(0) ?? "?"}) | ${r.mainBusy === undefined ? "?" : `${(100 * r.mainBusy).toFixed(0)}%`} | ${r.accessLogCpuUs?.toFixed(0) ?? "?"} | ${r.answerBytes.toFixed(0)} | ${ratio} | ${cpu} |\n`,
    );
  }
  out("\n## Authorization cost per request (SubjectOverview, in process)\n\n");
  out("| step | µs |\n|---|---|\n");
  out(`| judge for the request (abilities cached) | ${cost.judgeUs.toFixed(1)} |\n`);
  out(`| rewrite (once per document and context; cached after) | ${cost.rewriteUs.toFixed(1)} |\n`);
  out(`| result filter (every request) | ${cost.filterUs.toFixed(1)} |\n`);
}

/** SQLite always; PostgreSQL too with --postgres, which must then be reachable. */
async function benchBackends(): Promise<Backend[]> {
  const backends: Backend[] = ["sqlite"];
  if (values.postgres) {
    const pg = (await storeBackends()).find((b) => b.backend === "postgres");
    if (pg?.unavailable) throw new Error(`--postgres: ${pg.unavailable}`);
    backends.push("postgres");
  }
  return backends;
}

if (!values.only || values.only === "search") {
  const sizes = values.subjects.split(",").map(Number);
  const backends = await benchBackends();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  out("\n## Search (`searchSubjects`, in-process against the mash store)\n\n");
  out(
    "| store | subjects | seed s | queries | p50 ms | p95 ms | p99 ms | first | top 10 |\n|---|---|---|---|---|---|---|---|---|\n",
  );
  for (const backend of backends) {
    for (const subjects of sizes) {
      process.stderr.write(`search: seeding ${subjects} subjects on ${backend}...\n`);
      const r = await benchSearch(backend, subjects);
      out(
        `| ${r.backend} | ${r.subjects} | ${r.seedSeconds.toFixed(1)} | ${r.queries} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${pct(r.top1)} | ${pct(r.top10)} |\n`,
      );
    }
  }
}

if (!values.only || values.only === "audit") {
  const records = Number(values.records);
  out("\n## Access log: appends to the audit store (in process; a fresh store for each row)\n\n");
  out(
    "Entries like the gateway's: 20 released fields from six agencies, 1-50 subjects each agency saw (indexed per agency and per person); concurrency = appends outstanding at once.\n\n",
  );
  out(
    "| store | concurrency | records | records/s | p50 ms | p95 ms |\n|---|---|---|---|---|---|\n",
  );
  for (const backend of await benchBackends()) {
    for (const concurrency of [1, 8, 64]) {
      process.stderr.write(
        `audit: ${records} appends on ${backend}, concurrency ${concurrency}...\n`,
      );
      const r = await benchAudit(backend, concurrency, records);
      out(
        `| ${r.backend} | ${r.concurrency} | ${r.records} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} |\n`,
      );
    }
  }
  out(
    "\n### Access log, part by part: the way before issue 14 and now (same process)\n\n| part | before µs | now µs | now / before |\n|---|---|---|---|\n",
  );
  for (const r of await benchAuditParts(await benchBackends()))
    out(
      `| ${r.part} | ${r.oldMicros.toFixed(1)} | ${r.newMicros.toFixed(1)} | ${r.ratio.toFixed(2)} |\n`,
    );
}

if (!values.only || values.only === "report") {
  const enquiries = Number(values.enquiries);
  out("\n## Performance report (`mashPerformance`, in process against the mash store)\n\n");
  out(
    `${enquiries} enquiries over three years, 3 research requests each, ~1.1 contacts each; one SQL statement per report.\n\n`,
  );
  out(
    "| store | seed s | period | enquiries opened | runs | statements/run | p50 ms | p95 ms | year/month p95 |\n|---|---|---|---|---|---|---|---|---|\n",
  );
  const plans: string[] = [];
  for (const backend of await benchBackends()) {
    process.stderr.write(`report: seeding ${enquiries} enquiries on ${backend}...\n`);
    const r = await benchReport(backend, enquiries, Number(values["case-seconds"]));
    const month = r.cases.find((c) => c.period === "1 month");
    for (const c of r.cases) {
      const ratio = c.period === "1 year" && month ? (c.p95 / month.p95).toFixed(1) : "";
      out(
        `| ${r.backend} | ${r.seedSeconds.toFixed(1)} | ${c.period} | ${c.opened} | ${c.runs} | ${c.statements} | ${ms(c.p50)} | ${ms(c.p95)} | ${ratio} |\n`,
      );
    }
    plans.push(`${r.backend}: ${r.indexes.join(", ")}`);
  }
  out(`\nIndexes the plan reads (EXPLAIN, one-year period): ${plans.join("; ")}.\n`);
}

if (!values.only || values.only === "workflow") {
  const practitioners = Number(values.practitioners);
  out("\n## Workflow through the gateway: open → ask 2 agencies → both answer → decide\n\n");
  out(
    `${practitioners} practitioners at once, each taking enquiry after enquiry; the seven subgraphs on the store shown.\n\n`,
  );
  out("| store | step | operations | p50 ms | p95 ms | refused |\n|---|---|---|---|---|---|\n");
  const totals: string[] = [];
  for (const backend of await benchBackends()) {
    process.stderr.write(`workflow: starting the system on ${backend}...\n`);
    const r = await benchWorkflow(backend, Number(values["case-seconds"]), practitioners);
    for (const s of r.steps) {
      out(
        `| ${r.backend} | ${s.step} | ${s.count} | ${ms(s.p50)} | ${ms(s.p95)} | ${s.errors} |\n`,
      );
    }
    totals.push(
      `${r.backend}: ${r.perSecond.toFixed(0)} operations/s, ${(r.workflows / r.seconds).toFixed(1)} enquiries decided/s over ${r.seconds.toFixed(1)} s, ${r.reported ?? "no"} decisions in today's mashPerformance through the gateway${r.firstError ? ` (first refusal: ${r.firstError})` : ""}`,
    );
  }
  out(`\n${totals.join("; ")}.\n`);
}

if (!values.only || values.only === "federation") {
  process.stderr.write("federation: starting four subgraphs and three gateways...\n");
  const r = await benchFederation(
    Number(values["federation-seconds"]),
    Number(values["federation-rounds"]),
  );
  out("\n## Federation workload: bare @apollo/gateway vs ours (The Guild's benchmark shape)\n\n");
  out(federationMarkdown(r));
  const [at8, at50] = federationRatios(r).map((x) => x.toFixed(2));
  summaryLines.federation = `federation ratio: ${at8} ${at50}`;
  // Ours must answer as bare does, or its figures measure a different answer.
  federationFailed = !r.checks.ours.same;
}

if (!values.only || values.only === "startup") {
  const runs = Number(values["startup-runs"]);
  process.stderr.write(`startup: npm start, ${runs} times on empty and on seeded data...\n`);
  const r = await benchStartup(runs);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  out("\n## `npm start` to ready (the gateway's /health answers 200)\n\n");
  out(
    `Median of ${runs}, each in a fresh temporary data directory on free ports: "empty" seeds 2,000 people in seven stores, "with data" starts again on what it left. The first start (not counted) makes the bundles again if a source changed.\n\n`,
  );
  out("| case | median s | each s | npm start's own figure, median s |\n|---|---|---|---|\n");
  for (const [name, list] of [
    ["empty data directory", r.empty],
    ["with data", r.withData],
  ] as const) {
    const reported = list.flatMap((x) => (x.reportedMs === undefined ? [] : [x.reportedMs]));
    out(
      `| ${name} | ${s(median(list.map((x) => x.ms)))} | ${list.map((x) => s(x.ms)).join(", ")} | ${reported.length ? s(median(reported)) : ""} |\n`,
    );
  }
  out(`| first start (not counted) | ${s(r.first.ms)} | | |\n`);
}

if (!values.only || values.only === "memory") {
  const seconds = Number(values["memory-seconds"]);
  const mb = (x: number) => x.toFixed(0);
  out("\n## Gateway memory under load (the gateway alone in its process)\n\n");
  out(
    "50 connections. Steady: SubjectOverview for three people as mgr.okafor with ENQ-2001. Varied: every other request a document not seen before, from 512 identities with distinct role sets, one in eight stating an unknown enquiry (answered 400), one in sixteen breaking the glass: what would grow any cache keyed by what a request brings.\n\n",
  );
  out(
    "| load | when | RSS MB | heap used MB | heap total MB | external MB | heap after a full GC MB | RSS after it MB |\n|---|---|---|---|---|---|---|---|\n",
  );
  const notes: string[] = [];
  for (const load of ["steady", "new documents"] as const) {
    process.stderr.write(`memory: the gateway under ${seconds} s of ${load} load...\n`);
    const r = await benchMemory(seconds, load);
    for (const x of r.samples) {
      out(
        `| ${load} | ${x.point} | ${mb(x.rssMb)} | ${mb(x.heapUsedMb)} | ${mb(x.heapTotalMb)} | ${mb(x.externalMb)} | ${mb(x.retainedHeapMb)} | ${mb(x.rssAfterGcMb)} |\n`,
      );
    }
    const non200 =
      Object.entries(r.non200)
        .map(([k, v]) => `${v} (${k})`)
        .join(", ") || "none";
    notes.push(
      `${load}: gateway ${r.how}; peak RSS ${mb(r.peakRssMb)} MB (every 10 s: ${r.rssSeries.join(", ")}); ${r.requests} requests, ${r.newDocuments} new documents, ${r.identities} identities, ${r.unknownEnquiries} unknown enquiries, ${r.breakGlass} break-glass; not 200: ${non200}.`,
    );
  }
  out(`\n${notes.join("\n")}\n`);
}

// Last, whatever else ran: one line each, for a script (or a reader) to pick up.
if (summaryLines.federation || summaryLines.mash) out("\n");
if (summaryLines.federation) out(`${summaryLines.federation}\n`);
if (summaryLines.mash) out(`${summaryLines.mash}\n`);
if (federationFailed) {
  process.stderr.write("federation: ours answered the big query differently from bare (above)\n");
  process.exitCode = 1;
}
