import { join } from "node:path";
import { type Child, startChild } from "./children.ts";
import type { Target } from "./load.ts";
import { type PolicyFolder, READER } from "./policies.ts";

/** The gateways compared, bare first: every ratio is to it. */
export const GATEWAYS = [
  { key: "bare", label: "bare @apollo/gateway + @apollo/server 5" },
  { key: "ours", label: "ours, grant-all (enforcing, access log)" },
  { key: "withheld", label: "ours, a fifth of the fields withheld" },
] as const;
export type GatewayKey = (typeof GATEWAYS)[number]["key"];

/** Where one of ours keeps its development key, access log and policy store. */
export const dataDirOf = (temp: string, key: Exclude<GatewayKey, "bare">) =>
  join(temp, `data-${key}`);

/**
 * The three gateways, each in its own process over the same supergraph file: bare as its
 * documentation starts it (serve-bare.mjs); ours configured only through MASH_* settings, as an
 * operator serving another graph would (serve-ours.ts), once per policy folder.
 */
export async function startGateways(
  supergraphFile: string,
  temp: string,
  folders: Record<Exclude<GatewayKey, "bare">, PolicyFolder>,
): Promise<{ targets: Map<GatewayKey, Target>; children: Child<unknown>[] }> {
  const ours = (key: Exclude<GatewayKey, "bare">) =>
    startChild<{ url: string; token?: string }>("serve-ours.ts", [], {
      PORT: "0",
      HOST: "127.0.0.1",
      MASH_SUPERGRAPH_FILE: supergraphFile,
      MASH_POLICIES_DIR: folders[key].dir,
      MASH_DATA_DIR: dataDirOf(temp, key),
      // The load is one client: the per-client limit would refuse most of it.
      MASH_RATE_LIMIT_PER_MINUTE: "100000000",
      MASH_RATE_LIMIT_BURST: "100000000",
      // The big query's lists nest four deep; see the README on the default cost limit.
      MASH_MAX_QUERY_COST: "200000",
      BENCH_AGENCY: folders[key].hub,
      BENCH_ROLE: READER,
    });
  // Started together (start-up is most of the section's fixed time); if one fails, the others go.
  const started = await Promise.allSettled([
    startChild<{ url: string; token?: string }>("serve-bare.mjs", [], {
      BENCH_SUPERGRAPH_FILE: supergraphFile,
    }),
    ours("ours"),
    ours("withheld"),
  ]);
  const children = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    for (const child of children) await child.stop().catch(() => {});
    throw failed.reason;
  }
  const targets = new Map<GatewayKey, Target>(
    GATEWAYS.map((g, i) => {
      const child = children[i] as Child<{ url: string; token?: string }>;
      const { url, token } = child.info;
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return [g.key, { name: g.key, url, headers, pid: child.pid }];
    }),
  );
  return { targets, children };
}
