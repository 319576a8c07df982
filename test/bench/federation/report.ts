import {
  CONNECTIONS,
  type FederationResult,
  GATEWAYS,
  type GatewayKey,
  type Measured,
} from "./bench.ts";
import { DRAIN_MS, percentile, STAGGER_MS } from "./load.ts";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const windowsOf = (r: FederationResult, gateway: GatewayKey, connections: number) =>
  r.windows.filter((w) => w.gateway === gateway && w.connections === connections);

/** A gateway's req/s over bare's in the same round, the median over rounds. */
export function ratioToBare(r: FederationResult, gateway: GatewayKey, connections: number): number {
  const bare = windowsOf(r, "bare", connections);
  return median(
    windowsOf(r, gateway, connections).map(
      (w) => w.rps / (bare.find((b) => b.round === w.round)?.rps ?? Number.NaN),
    ),
  );
}

/** Ours (grant-all) over bare at each concurrency: the `federation ratio:` line's figures. */
export const federationRatios = (r: FederationResult) =>
  CONNECTIONS.map((c) => ratioToBare(r, "ours", c));

function pooled(ws: Measured[]) {
  const requests = ws.reduce((n, w) => n + w.requests, 0);
  const seconds = ws.reduce((n, w) => n + w.seconds, 0);
  const cpu = ws.reduce((n, w) => n + w.cpuSeconds, 0);
  const subgraphCpu = ws.reduce((n, w) => n + w.subgraphCpuSeconds, 0);
  const latencies = ws.flatMap((w) => w.latencies).sort((a, b) => a - b);
  return {
    requests,
    errors: ws.reduce((n, w) => n + w.errors, 0),
    rps: requests / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    cpuPercent: (cpu / seconds) * 100,
    cpuMsPerRequest: (cpu / requests) * 1000,
    subgraphCpuPercent: (subgraphCpu / seconds) * 100,
    peakRssMb: Math.max(...ws.map((w) => w.peakRss)) / 2 ** 20,
  };
}

const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

/** The section's Markdown: what was checked, the pooled table, and req/s round by round. */
export function federationMarkdown(r: FederationResult): string {
  const out: string[] = [];
  out.push(
    `Four in-memory subgraphs (accounts, inventory, products, reviews) shared by three gateways, each in its own process; one big nested query (bare answers ${r.answerBytes.toLocaleString("en")} bytes); closed loop, ${r.rounds} rounds of ${r.seconds} s per gateway and concurrency, interleaved, order rotated each round. Clients start ${STAGGER_MS} ms apart; each window opens after as many answers as connections (steady state) and counts the correct answers, their latencies and the CPU within it; what is in flight when it closes is awaited up to ${DRAIN_MS / 1000} s, unmeasured, then abandoned. Gateway CPU is its process's user+system time (100% = one core), subgraphs CPU the shared subgraphs' process's; peak RSS is the largest seen while loaded.\n`,
  );
  const ours = r.checks.ours;
  out.push(
    ours.same
      ? "- Same data: ours (grant-all) answers the big query with data deep-equal to bare's, field order too, and no errors."
      : `- **ours (grant-all) DIFFERS from bare** on the big query: ${ours.problems.join("; ")}.`,
  );
  const w = r.checks.withheld;
  out.push(
    w.same
      ? `- Withheld: ours with ${r.withheldFields.join(" and ")} denied (${r.withheldFields.length} of the query's ${r.leafFields} leaf fields) answers bare's data with exactly those ${w.withheld} values null (of ${r.leafValues} leaf values), one UNAUTHORIZED_FIELD_OR_TYPE error each, nothing else different.`
      : `- **ours (withheld) is not bare with the withheld fields null**: ${w.problems.join("; ")}.`,
  );
  const logged = (key: "ours" | "withheld") =>
    `${r.accessLog[key].records} records for ${r.accessLog[key].answered} answered requests${r.accessLog[key].abandoned ? ` and ${r.accessLog[key].abandoned} the load generator abandoned in flight` : ""}`;
  out.push(`- Access log: ${logged("ours")} (grant-all), ${logged("withheld")} (withheld).`);
  out.push(
    "\n| gateway | connections | requests | req/s | p50 ms | p99 ms | gateway CPU % | CPU ms/req | subgraphs CPU % | peak RSS MB | errors | req/s vs bare | CPU/req vs bare |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const connections of CONNECTIONS) {
    const bare = pooled(windowsOf(r, "bare", connections));
    for (const g of GATEWAYS) {
      const p = pooled(windowsOf(r, g.key, connections));
      const vs =
        g.key === "bare"
          ? ["", ""]
          : [f2(ratioToBare(r, g.key, connections)), f2(p.cpuMsPerRequest / bare.cpuMsPerRequest)];
      out.push(
        `| ${g.label} | ${connections} | ${p.requests} | ${f0(p.rps)} | ${f1(p.p50)} | ${f1(p.p99)} | ${f0(p.cpuPercent)} | ${f2(p.cpuMsPerRequest)} | ${f0(p.subgraphCpuPercent)} | ${f0(p.peakRssMb)} | ${p.errors} | ${vs[0]} | ${vs[1]} |`,
      );
    }
  }
  out.push(
    "\nreq/s vs bare is the median over rounds of the gateway's req/s over bare's in the same round.\n",
    `| gateway | connections | ${Array.from({ length: r.rounds }, (_, i) => `round ${i + 1} req/s`).join(" | ")} |`,
    `|---|---|${"---|".repeat(r.rounds)}`,
  );
  for (const connections of CONNECTIONS)
    for (const g of GATEWAYS)
      out.push(
        `| ${g.label} | ${connections} | ${windowsOf(r, g.key, connections)
          .map((x) => f0(x.rps))
          .join(" | ")} |`,
      );
  for (const x of r.windows.filter((x) => x.firstError))
    out.push(
      `\n${x.errors} errors from ${x.gateway} at ${x.connections} connections in round ${x.round}, the first: ${x.firstError}`,
    );
  const mb = (bytes: number) => `${f0(bytes / 2 ** 20)} MB`;
  out.push(
    `\nRSS once started, before any request: ${GATEWAYS.map((g) => `${g.label} ${mb(r.startRss[g.key])}`).join("; ")}.`,
  );
  out.push(`\nThe section took ${f0(r.elapsed)} s, start-up included.\n`);
  return `${out.join("\n")}\n`;
}
