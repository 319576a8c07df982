import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generatePopulation } from "@mash/kit";
import autocannon from "autocannon";
import { benchAuthorizationCost } from "./authz-cost.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const operation = (name: string) =>
  readFileSync(new URL(`../../gateway/operations/${name}.graphql`, import.meta.url), "utf8");

export interface LoadResult {
  scenario: string;
  mode: "on" | "off";
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  errors: number;
}

const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth address { postcode }
  police { known incidents { id category } } socialCare { known openCase } health { known gpPractice { name } }
  education { known attendancePercent } probation { known mappaLevel } adultSocialCare { known } } }`;

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
    headers: { "content-type": "application/json", ...headers },
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
  const result = await instance;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0;
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: pct(0.5),
    p95: pct(0.95),
    errors: errors + result.errors + result.non2xx,
  };
}

/**
 * Throughput of the gateway with the sharing rules enforced and with enforcement off, in one run
 * against the same subgraphs, for the golden SubjectOverview and a 50-subject list.
 */
export async function benchGateway(
  seconds = 10,
): Promise<{ results: LoadResult[]; cost: Awaited<ReturnType<typeof benchAuthorizationCost>> }> {
  // MASH_BENCH_PROFILE=<dir> writes a CPU profile of the serving process there (on exit).
  const profile = process.env.MASH_BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.MASH_BENCH_PROFILE}`]
    : [];
  const server = spawn(process.execPath, [...profile, "--import", "tsx", "test/bench/serve.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, LOG_LEVEL: "error" },
  });
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
    const overview = ["S-1001", "S-1002", "S-1003"].map((id) =>
      JSON.stringify({ query: operation("SubjectOverview"), variables: { id } }),
    );
    const ids = generatePopulation({ subjects: 200 })
      .persons.slice(0, 50)
      .map((p) => p.id);
    const list = [JSON.stringify({ query: LIST, variables: { ids } })];
    const results: LoadResult[] = [];
    for (const [scenario, bodies] of [
      ["SubjectOverview (golden, ENQ-2001)", overview],
      ["50-subject list", list],
    ] as const) {
      // Warm both, then alternate so neither mode always runs on a warmer machine.
      await load(info.off, info.headers, [...bodies], 2);
      await load(info.on, info.headers, [...bodies], 2);
      for (const mode of ["off", "on"] as const) {
        const r = await load(
          mode === "on" ? info.on : info.off,
          info.headers,
          [...bodies],
          seconds,
        );
        results.push({ scenario, mode, ...r });
      }
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
