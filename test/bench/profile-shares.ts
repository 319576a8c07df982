import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Phase } from "./gateway.ts";

/**
 * `npx tsx test/bench/profile-shares.ts <dir>`, after `MASH_BENCH_PROFILE=<dir> npm run bench --
 * --only gateway`: where the serving process's CPU went during the "off" loads and during the
 * "on" loads of each scenario (phases.json says which samples are which), in µs per request and
 * as a share of the "on" CPU, by part of the request path. The serving process also runs the
 * subgraphs, so both modes carry their cost; what "on" adds is the difference.
 */

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * A part of the request path: a sample belongs to the first part any frame of its stack matches,
 * so what the filter or the access log calls (graphql-js's serialize, node:crypto) counts as
 * theirs. The frames that only hand the request on (DISPATCH) claim their own time, not their
 * callees': Apollo's plan execution, its fetches and their signed contexts start synchronously
 * inside judgedExecution's call of the executor, and are Apollo's, as they are with enforcement
 * off.
 */
/** judged-execution.ts and authorizing-gateway.ts call Apollo's executor. */
const DISPATCH = /authz\/(judged-execution|authorizing-gateway)\.ts/;

const PARTS: [name: string, matches: (f: CallFrame) => boolean][] = [
  ["located errors", (f) => f.url.includes("authz/located-error")],
  [
    "access-log collector (in the pass)",
    (f) => f.url.includes("audit/collect") && f.functionName !== "auditEntry",
  ],
  [
    "access-log entry (auditEntry, graphRecord)",
    (f) => f.url.includes("graph-record") || f.functionName === "auditEntry",
  ],
  ["access-log append (canonical JSON, hash, SQLite)", (f) => f.url.includes("gateway/src/audit/")],
  ["refusal code (firstErrorCode)", (f) => f.functionName === "firstErrorCode"],
  ["error formatting (formatError)", (f) => f.url.includes("server/error-format")],
  [
    "judged pass (filter-pass, judge, memo)",
    (f) => /authz\/(filter-pass|raw-checks|filter-plan|judge\.ts|verdict-memo|ability)/.test(f.url),
  ],
  ["filter by re-execution (filter.ts)", (f) => f.url.includes("authz/filter.ts")],
  ["rewrite, role schema", (f) => /authz\/(rewrite|role-schema|plan-guard)/.test(f.url)],
  ["authorizing gateway (rest)", (f) => f.url.includes("authz/")],
  [
    "purpose (use-purpose, purpose.ts)",
    (f) => /use-purpose|authz\/purpose|purpose-freshness/.test(f.url),
  ],
  ["metrics", (f) => /use-metrics|server\/metrics|operator-metrics|prom-client/.test(f.url)],
  ["rate limiter", (f) => /rate-limit/.test(f.url)],
  ["authentication", (f) => /use-authenticate|identity\/|jose/.test(f.url)],
  ["context signing (compact-sign)", (f) => f.url.includes("compact-sign")],
  ["subgraphs' own code", (f) => /subgraphs\/(?!kit)/.test(f.url)],
  [
    "Apollo gateway (plan, execute)",
    (f) => /@apollo\/(gateway|query-planner|federation-internals)/.test(f.url),
  ],
  ["Apollo Server (incl. its serialization)", (f) => f.url.includes("@apollo/server")],
  ["graphql-js", (f) => f.url.includes("node_modules/graphql/")],
  ["SQLite (better-sqlite3)", (f) => f.url.includes("better-sqlite3")],
  [
    "undici, http, net",
    (f) => /undici|node:_http|node:http|node:net|node:internal\/(http|stream)/.test(f.url),
  ],
  ["gateway pipeline (rest)", (f) => f.url.includes("gateway/src/")],
  ["kit (rest)", (f) => f.url.includes("subgraphs/kit")],
  ["garbage collection", (f) => f.functionName === "(garbage collector)"],
  ["(program)", (f) => f.functionName === "(program)"],
];

function analyse(dir: string) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  // Name: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main one.
  const main = files.find((f) => f.split(".")[4] === "0") ?? files[0];
  if (!main) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, main), "utf8")) as Profile;
  const phases = JSON.parse(readFileSync(join(dir, "phases.json"), "utf8")) as Phase[];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const part = (id: number): string => {
    const known = partOf.get(id);
    if (known) return known;
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node) stack.push(node.callFrame);
    }
    const leaf = stack[0]?.functionName;
    let name = leaf === "(idle)" ? "(idle)" : "other";
    // A dispatching frame counts only as the leaf: its own time, not what it called.
    const claiming = stack.filter((f, i) => i === 0 || !DISPATCH.test(f.url));
    if (name === "other")
      for (const [label, matches] of PARTS)
        if (claiming.some(matches)) {
          name = label;
          break;
        }
    partOf.set(id, name);
    return name;
  };
  const selfName = (id: number) => {
    const f = byId.get(id)?.callFrame;
    return f
      ? `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(node_modules|work\/main)\//, "")}`
      : "?";
  };
  // µs per part, and per leaf function, for each scenario and mode.
  const totals = new Map<
    string,
    { parts: Map<string, number>; self: Map<string, number>; requests: number }
  >();
  const bucketOf = (t: number) => phases.find((p) => t >= p.start && t < p.end);
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const phase = bucketOf(t);
    if (!phase) continue;
    const key = `${phase.scenario}|${phase.mode}`;
    let total = totals.get(key);
    if (!total) {
      const requests = phases
        .filter((p) => p.scenario === phase.scenario && p.mode === phase.mode)
        .reduce((n, p) => n + p.requests, 0);
      total = { parts: new Map(), self: new Map(), requests };
      totals.set(key, total);
    }
    const id = profile.samples[i] as number;
    const name = part(id);
    if (name === "(idle)") continue;
    total.parts.set(name, (total.parts.get(name) ?? 0) + delta);
    const self = selfName(id);
    total.self.set(self, (total.self.get(self) ?? 0) + delta);
  }
  return totals;
}

const dir = process.argv[2];
if (!dir) throw new Error("usage: profile-shares.ts <profile dir>");
const totals = analyse(dir);
const scenarios = [...new Set([...totals.keys()].map((k) => k.split("|")[0] as string))];
const out = (s: string) => process.stdout.write(s);
for (const scenario of scenarios) {
  const on = totals.get(`${scenario}|on`);
  const off = totals.get(`${scenario}|off`);
  if (!on || !off) continue;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const onUs = sum(on.parts) / on.requests;
  const offUs = sum(off.parts) / off.requests;
  out(
    `\n## ${scenario}: CPU µs per request, off ${offUs.toFixed(0)}, on ${onUs.toFixed(0)} (${on.requests} on, ${off.requests} off requests)\n\n`,
  );
  out("| part | off µs/req | on µs/req | on - off | share of on |\n|---|---|---|---|---|\n");
  const names = [...new Set([...on.parts.keys(), ...off.parts.keys()])];
  const per = (m: Map<string, number>, n: string, r: number) => (m.get(n) ?? 0) / r;
  names.sort((a, b) => per(on.parts, b, on.requests) - per(on.parts, a, on.requests));
  for (const n of names) {
    const a = per(off.parts, n, off.requests);
    const b = per(on.parts, n, on.requests);
    out(
      `| ${n} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b - a).toFixed(0)} | ${((100 * b) / onUs).toFixed(1)}% |\n`,
    );
  }
  if (process.argv.includes("--functions")) {
    out("\n| leaf function (on) | on µs/req | off µs/req |\n|---|---|---|\n");
    const top = [...on.self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
    for (const [n, us] of top)
      out(
        `| ${n} | ${(us / on.requests).toFixed(1)} | ${((off.self.get(n) ?? 0) / off.requests).toFixed(1)} |\n`,
      );
  }
}
