import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePopulation } from "@mash/kit";
import autocannon from "autocannon";
import { serverNodeFlags } from "../../scripts/node-flags.ts";
import { benchAuthorizationCost } from "./authz-cost.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const operation = (name: string) =>
  readFileSync(new URL(`../../gateway/operations/${name}.graphql`, import.meta.url), "utf8");

export interface LoadResult {
  scenario: string;
  mode: "on" | "off";
  /** Over every round of the mode. */
  requests: number;
  /** The mean of the rounds' req/s. */
  rps: number;
  p50: number;
  p95: number;
  errors: number;
  /** The serving process's CPU time per request (every thread: gateways and subgraphs), µs. */
  cpuUs: number;
  /** Its main thread's alone (the event loop), where Linux tells it. */
  mainCpuUs?: number;
  /** The access log's writing thread's (sqlite-append-thread.ts), where Linux tells it. */
  accessLogCpuUs?: number;
  /**
   * The main thread's CPU over the rounds' wall time: near 1, the event loop is what limits
   * req/s; well under, requests wait on something else (threads, sockets, the client).
   */
  mainBusy?: number;
  /** Bytes read per answer, headers included (autocannon's count). */
  answerBytes: number;
  /** "on" rows: each round's on/off, and their median (the figure to compare runs by). */
  ratios?: number[];
  ratio?: number;
  /**
   * "on" rows: each round's main-thread CPU per request, off over on (above 1: "on" costs the
   * event loop less), and their median. Steadier than req/s where others share the machine.
   */
  cpuRatios?: number[];
  cpuRatio?: number;
}

/**
 * Rounds per scenario: off and on alternate within each, and which goes first alternates too.
 * Many short rounds rather than a few long ones: on this shared machine single rounds swing by
 * a fifth either way, and the median of a dozen moves far less than the median of four.
 */
export const DEFAULT_ROUNDS = 12;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Where each timed load was, in the clock a CPU profile's timestamps use (µs, monotonic). */
export interface Phase {
  scenario: string;
  mode: "on" | "off";
  round: number;
  start: number;
  end: number;
  requests: number;
  /** The serving process's CPU time over the load (every thread), µs. */
  cpuUs: number;
  mainCpuUs?: number;
}
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth address { postcode }
  police { known incidents { id category } } socialCare { known openCase } health { known gpPractice { name } }
  education { known attendancePercent } probation { known mappaLevel } adultSocialCare { known } } }`;

/**
 * What browsers and Node's fetch (the workspace, the console, clients/kit) send: the gateway
 * gzips its longer answers for them (server/compress-reply.ts), off and on alike.
 */
export const ACCEPT_ENCODING = "gzip, deflate, br";

async function load(
  url: string,
  headers: Record<string, string>,
  bodies: string[],
  seconds: number,
) {
  const times: number[] = [];
  let errors = 0;
  const instance = autocannon({
    url,
    method: "POST",
    connections: 8,
    duration: seconds,
    headers: { "content-type": "application/json", "accept-encoding": ACCEPT_ENCODING, ...headers },
    requests: bodies.map((body) => ({ method: "POST", body })),
  });
  // autocannon emits a response event per request; its types do not declare it.
  (instance as unknown as import("node:events").EventEmitter).on(
    "response",
    (_client: unknown, status: number, _bytes: number, ms: number) => {
      times.push(ms);
      if (status !== 200) errors++;
    },
  );
  const started = process.hrtime.bigint();
  const result = await instance;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    times,
    requests: result.requests.total,
    bytes: result.throughput.total,
    // autocannon's average is over whole seconds; a round is a fraction of them.
    rps: result.requests.total / elapsed,
    errors: errors + result.errors + result.non2xx,
  };
}

type Load = Awaited<ReturnType<typeof load>>;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/**
 * Throughput of the gateway with the sharing rules enforced and with enforcement off, in one run
 * against the same subgraphs, for the golden SubjectOverview and a 50-subject list. This machine
 * is shared and noisy, so each scenario is `rounds` rounds of seconds/rounds per mode, off and on
 * back to back with the first of them alternating, and the figure is the median round's ratio:
 * a burst of load elsewhere then spoils one round, not the comparison.
 */
export async function benchGateway(
  seconds = 12,
  rounds = DEFAULT_ROUNDS,
): Promise<{ results: LoadResult[]; cost: Awaited<ReturnType<typeof benchAuthorizationCost>> }> {
  // MASH_BENCH_PROFILE=<dir> writes a CPU profile of the serving process there (on exit).
  const profile = process.env.MASH_BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.MASH_BENCH_PROFILE}`]
    : [];
  // V8's young generation as npm start sizes it (node-flags.ts), for both gateways in it.
  const flags = serverNodeFlags(process.env);
  const server = spawn(
    process.execPath,
    [...profile, ...flags, "--import", "tsx", "test/bench/serve.ts"],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit", "ipc"],
      env: { ...process.env, LOG_LEVEL: "error" },
    },
  );
  try {
    const info = await new Promise<{ on: string; off: string; headers: Record<string, string> }>(
      (resolve, reject) => {
        let buffer = "";
        server.stdout?.on("data", (d) => {
          buffer += d;
          const line = buffer.split("\n").find((l) => l.startsWith("{"));
          if (line) resolve(JSON.parse(line));
        });
        server.on("exit", (code) => reject(new Error(`bench server exited (${code})`)));
      },
    );
    const cpu = () =>
      new Promise<{ all: number; main?: number; accessLog?: number }>((resolve) => {
        server.once("message", resolve);
        server.send("cpu");
      });
    const overview = ["S-1001", "S-1002", "S-1003"].map((id) =>
      JSON.stringify({ query: operation("SubjectOverview"), variables: { id } }),
    );
    const ids = generatePopulation({ subjects: 200 })
      .persons.slice(0, 50)
      .map((p) => p.id);
    const list = [JSON.stringify({ query: LIST, variables: { ids } })];
    const results: LoadResult[] = [];
    const phases: Phase[] = [];
    const each = seconds / rounds;
    for (const [scenario, bodies] of [
      ["SubjectOverview (golden, ENQ-2001)", overview],
      ["50-subject list", list],
    ] as const) {
      // Warm both first: the first requests compile, plan and fill caches.
      await load(info.off, info.headers, [...bodies], 2);
      await load(info.on, info.headers, [...bodies], 2);
      const runs: Record<"on" | "off", Load[]> = { off: [], on: [] };
      const cpuUs = { off: 0, on: 0 };
      const mainCpuUs = { off: 0, on: 0 };
      const wallUs = { off: 0, on: 0 };
      // Undefined until a round is told it (serve.ts found the thread by its name).
      const accessLogCpuUs: Record<"on" | "off", number | undefined> = {
        off: undefined,
        on: undefined,
      };
      const roundMainUs: Record<"on" | "off", (number | undefined)[]> = { off: [], on: [] };
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const);
        for (const mode of order) {
          const start = nowUs();
          const before = await cpu();
          const run = await load(
            mode === "on" ? info.on : info.off,
            info.headers,
            [...bodies],
            each,
          );
          const after = await cpu();
          const used = after.all - before.all;
          const main =
            after.main === undefined || before.main === undefined
              ? undefined
              : after.main - before.main;
          runs[mode].push(run);
          cpuUs[mode] += used;
          if (main !== undefined) mainCpuUs[mode] += main;
          wallUs[mode] += nowUs() - start;
          if (after.accessLog !== undefined && before.accessLog !== undefined)
            accessLogCpuUs[mode] = (accessLogCpuUs[mode] ?? 0) + after.accessLog - before.accessLog;
          roundMainUs[mode].push(
            main === undefined || run.requests === 0 ? undefined : main / run.requests,
          );
          phases.push({
            scenario,
            mode,
            round,
            start,
            end: nowUs(),
            requests: run.requests,
            cpuUs: used,
            ...(main === undefined ? {} : { mainCpuUs: main }),
          });
        }
      }
      // A round that saw no request (or no CPU tick) has no ratio to count.
      const ratios = runs.on
        .map((on, i) => on.rps / (runs.off[i]?.rps ?? Number.NaN))
        .filter(Number.isFinite);
      const cpuRatios = roundMainUs.on.flatMap((on, i) => {
        const off = roundMainUs.off[i];
        return on === undefined || off === undefined || !Number.isFinite(off / on)
          ? []
          : [off / on];
      });
      for (const mode of ["off", "on"] as const) {
        const list = runs[mode];
        const times = list.flatMap((r) => r.times).sort((a, b) => a - b);
        results.push({
          scenario,
          mode,
          requests: list.reduce((n, r) => n + r.requests, 0),
          rps: list.reduce((n, r) => n + r.rps, 0) / list.length,
          p50: percentile(times, 0.5),
          p95: percentile(times, 0.95),
          errors: list.reduce((n, r) => n + r.errors, 0),
          cpuUs: cpuUs[mode] / list.reduce((n, r) => n + r.requests, 0),
          mainCpuUs: mainCpuUs[mode] / list.reduce((n, r) => n + r.requests, 0),
          ...(mainCpuUs[mode] > 0 ? { mainBusy: mainCpuUs[mode] / wallUs[mode] } : {}),
          answerBytes:
            list.reduce((n, r) => n + r.bytes, 0) / list.reduce((n, r) => n + r.requests, 0),
          ...(accessLogCpuUs[mode] === undefined
            ? {}
            : {
                accessLogCpuUs:
                  (accessLogCpuUs[mode] as number) / list.reduce((n, r) => n + r.requests, 0),
              }),
          ...(mode === "on" && ratios.length > 0 ? { ratios, ratio: median(ratios) } : {}),
          ...(mode === "on" && cpuRatios.length > 0
            ? { cpuRatios, cpuRatio: median(cpuRatios) }
            : {}),
        });
      }
    }
    // With a profile, which samples belong to which load (for test/bench/profile-shares.ts).
    const profileDir = process.env.MASH_BENCH_PROFILE;
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(join(profileDir, "phases.json"), `${JSON.stringify(phases)}\n`);
    }
    const cost = await benchAuthorizationCost(async (query, variables) => {
      const response = await fetch(info.off, {
        method: "POST",
        headers: { "content-type": "application/json", ...info.headers },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    });
    return { results, cost };
  } finally {
    server.kill("SIGTERM");
  }
}
