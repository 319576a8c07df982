import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { serverNodeFlags } from "../../scripts/node-flags.ts";
import { prepareServerBundles } from "../../scripts/server-bundles.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const OVERVIEW = readFileSync(
  new URL("../../gateway/operations/SubjectOverview.graphql", import.meta.url),
  "utf8",
);

export interface MemorySample {
  point: string;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** After a full collection (memory-gc.mjs): what the gateway holds on to. */
  retainedHeapMb: number;
  rssAfterGcMb: number;
}

export interface MemoryResult {
  load: MemoryLoad;
  /** How the gateway ran: from its bundle, as `npm start` runs it, or through tsx. */
  how: string;
  connections: number;
  warmUpSeconds: number;
  seconds: number;
  samples: MemorySample[];
  peakRssMb: number;
  /** RSS every 10 s of load, MB. */
  rssSeries: number[];
  requests: number;
  /** Requests that carried a document the gateway had not seen before. */
  newDocuments: number;
  /** Distinct identities (role sets) the load signed in as. */
  identities: number;
  /** Requests that stated an enquiry id never seen before (answered 400). */
  unknownEnquiries: number;
  breakGlass: number;
  /** Answers other than 200 by status, and requests with no answer (time-outs, resets). */
  non200: Record<string, number>;
}

const CONNECTIONS = 50;
const GC_HOOK = new URL("./memory-gc.mjs", import.meta.url).href;

/**
 * The load. "steady": the golden SubjectOverview for three people, as mgr.okafor with ENQ-2001.
 * "new documents" (varied): that, with every other request a document never seen before (the
 * same operation with a root field under a new alias), each request from the next of 512
 * identities with distinct role sets (memory-subgraphs.ts), one in eight stating an enquiry id
 * the hub has never held (a new one each time: 400), one in eight ENQ-2002 or ENQ-2003, and one
 * in sixteen breaking the glass: so that the parsed-document, limits, rewrite and plan caches,
 * the caches per role set (abilities, judges, role schemas, search tables), the purpose cache
 * and the rate limiter's buckets all see more keys than their bounds.
 */
export type MemoryLoad = "steady" | "new documents";

interface Workload {
  tokens: string[];
  enquiries: string[];
}

const BREAK_GLASS = "Bench: a sealed record needed for an urgent safeguarding decision.";

function requests(kind: MemoryLoad, work: Workload) {
  let n = 0;
  const counts = { fresh: 0, unknownEnquiries: 0, breakGlass: 0, identities: new Set<number>() };
  const ids = ["S-1001", "S-1002", "S-1003"];
  const [first, ...more] = work.tokens;
  return {
    next(): { body: string; headers: Record<string, string> } {
      n++;
      const variables = { id: ids[n % ids.length] };
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (kind === "steady") {
        headers.authorization = `Bearer ${first}`;
        headers["x-mash-enquiry"] = "ENQ-2001";
        return { body: JSON.stringify({ query: OVERVIEW, variables }), headers };
      }
      const who = n % more.length;
      counts.identities.add(who);
      headers.authorization = `Bearer ${more[who]}`;
      if (n % 8 === 7) {
        counts.unknownEnquiries++;
        headers["x-mash-enquiry"] = `ENQ-B${n}`;
      } else {
        headers["x-mash-enquiry"] = work.enquiries[n % 8 === 3 ? 1 + (n % 2) : 0] as string;
      }
      if (n % 16 === 5) {
        counts.breakGlass++;
        headers["x-mash-break-glass"] = BREAK_GLASS;
      }
      if (n % 2 === 0) return { body: JSON.stringify({ query: OVERVIEW, variables }), headers };
      counts.fresh++;
      const query = OVERVIEW.replace("{", `{ n${n}: __typename`);
      return { body: JSON.stringify({ query, variables }), headers };
    },
    counts,
  };
}

function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function metricsOf(url: string, token: string): Promise<Record<string, number>> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /metrics: HTTP ${response.status}`);
  const values: Record<string, number> = {};
  for (const line of (await response.text()).split("\n")) {
    const m =
      /^(process_resident_memory_bytes|nodejs_heap_size_used_bytes|nodejs_heap_size_total_bytes|nodejs_external_memory_bytes) (\S+)/.exec(
        line,
      );
    if (m) values[m[1] as string] = Number(m[2]);
  }
  return values;
}

function waitFor<T>(child: ChildProcess, what: string, ready: (resolve: (v: T) => void) => void) {
  return new Promise<T>((resolve, reject) => {
    ready(resolve);
    child.once("exit", (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

async function load(
  url: string,
  seconds: number,
  feed: ReturnType<typeof requests>,
  non200: Record<string, number>,
) {
  const instance = autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const { body, headers } = feed.next();
          return { ...request, body, headers };
        },
      },
    ],
  });
  // autocannon emits a response event per request; its types do not declare it.
  (instance as unknown as EventEmitter).on("response", (_client: unknown, status: number) => {
    if (status !== 200) non200[status] = (non200[status] ?? 0) + 1;
  });
  const result = await instance;
  if (result.errors) non200["no answer"] = (non200["no answer"] ?? 0) + result.errors;
  return result.requests.total;
}

/**
 * The gateway's memory under load: the gateway alone in its process (the seven subgraphs in
 * another), 50 connections of `kind` load (MemoryLoad), sampled when ready, after a warm-up and
 * after `seconds` more, from its own metrics (RSS and V8 heap, then both again after a full
 * collection: what it retains) and /proc (RSS every second under load, its peak).
 */
export async function benchMemory(
  seconds = 60,
  kind: MemoryLoad = "new documents",
): Promise<MemoryResult> {
  // Both with V8's young generation as npm start sizes it (node-flags.ts).
  const flags = serverNodeFlags(process.env);
  const subgraphs = spawn(
    process.execPath,
    [...flags, "--import", "tsx", "test/bench/memory-subgraphs.ts"],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, LOG_LEVEL: "error" },
    },
  );
  let gateway: ChildProcess | undefined;
  try {
    const system = await waitFor<{ urls: string; dataDir: string } & Workload>(
      subgraphs,
      "the subgraphs",
      (resolve) => {
        // The line carries ~500 tokens (~300 KB): only a whole line is parsed.
        let buffer = "";
        let done = false;
        subgraphs.stdout?.on("data", (d) => {
          if (done) return;
          buffer += d;
          const lines = buffer.split("\n");
          const line = lines.slice(0, -1).find((l) => l.startsWith("{"));
          if (line) {
            done = true;
            resolve(JSON.parse(line));
          }
        });
      },
    );
    const prepared = await prepareServerBundles();
    const bundle = prepared.kind === "bundles" ? prepared.bundles.entries.gateway : undefined;
    const token = randomUUID();
    gateway = spawn(
      process.execPath,
      [
        ...flags,
        "--expose-gc",
        "--import",
        GC_HOOK,
        ...(bundle ? [bundle] : ["--import", "tsx", "gateway/src/main.ts"]),
      ],
      {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: {
          ...process.env,
          LOG_LEVEL: "error",
          PORT: "0",
          MASH_DATA_DIR: system.dataDir,
          MASH_SUBGRAPH_URLS: system.urls,
          MASH_METRICS_TOKEN: token,
          // One user sends every request: their budget must not be what is measured.
          MASH_RATE_LIMIT_PER_MINUTE: "100000000",
          MASH_RATE_LIMIT_BURST: "100000000",
        },
      },
    );
    const started = gateway;
    const url = await waitFor<string>(started, "the gateway", (resolve) =>
      started.on("message", (m: { type?: string; url?: string }) => {
        if (m?.type === "ready" && m.url) resolve(m.url);
      }),
    );
    const pid = started.pid as number;
    const metrics = url.replace(/\/graphql$/, "/metrics");
    const samples: MemorySample[] = [];
    const sample = async (point: string) => {
      const m = await metricsOf(metrics, token);
      process.kill(pid, "SIGUSR2");
      await new Promise((r) => setTimeout(r, 1000));
      const after = await metricsOf(metrics, token);
      const mb = (from: Record<string, number>, name: string) =>
        (from[name] ?? Number.NaN) / 1024 / 1024;
      samples.push({
        point,
        rssMb: mb(m, "process_resident_memory_bytes"),
        heapUsedMb: mb(m, "nodejs_heap_size_used_bytes"),
        heapTotalMb: mb(m, "nodejs_heap_size_total_bytes"),
        externalMb: mb(m, "nodejs_external_memory_bytes"),
        retainedHeapMb: mb(after, "nodejs_heap_size_used_bytes"),
        rssAfterGcMb: mb(after, "process_resident_memory_bytes"),
      });
    };
    let peakRssMb = 0;
    const rssSeries: number[] = [];
    let ticks = 0;
    const watch = setInterval(() => {
      const rss = rssMbOf(pid);
      peakRssMb = Math.max(peakRssMb, rss);
      if (++ticks % 10 === 0) rssSeries.push(Math.round(rss));
    }, 1000);
    try {
      await sample("ready, before any request");
      const feed = requests(kind, system);
      const non200: Record<string, number> = {};
      const warmUpSeconds = Math.max(2, Math.min(10, Math.round(seconds / 6)));
      const warm = await load(url, warmUpSeconds, feed, non200);
      await sample(`after ${warmUpSeconds} s warm-up at ${CONNECTIONS} connections`);
      const steady = await load(url, seconds, feed, non200);
      await sample(`after ${seconds} s more at ${CONNECTIONS} connections`);
      peakRssMb = Math.max(peakRssMb, rssMbOf(pid));
      const c = feed.counts;
      if (kind !== "steady")
        process.stderr.write(
          `memory: ${kind}: ${c.fresh} new documents, ${c.identities.size} identities (role sets), ${c.unknownEnquiries} unknown enquiry ids (each answered 400), ${c.breakGlass} break-glass requests\n`,
        );
      return {
        load: kind,
        how: bundle ? "bundled, as npm start runs it" : "from source through tsx",
        connections: CONNECTIONS,
        warmUpSeconds,
        seconds,
        samples,
        peakRssMb,
        rssSeries,
        requests: warm + steady,
        newDocuments: feed.counts.fresh,
        identities: Math.max(1, feed.counts.identities.size),
        unknownEnquiries: feed.counts.unknownEnquiries,
        breakGlass: feed.counts.breakGlass,
        non200,
      };
    } finally {
      clearInterval(watch);
    }
  } finally {
    gateway?.kill("SIGTERM");
    subgraphs.kill("SIGTERM");
  }
}
