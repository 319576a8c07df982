import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeSupergraph, openAuditStore } from "@mash/gateway";
import { parse } from "graphql";
import {
  type GraphQLAnswer,
  pathsOf,
  sameAsBare,
  type Verdict,
  withheldFromBare,
} from "./check.ts";
import { type Child, startChild } from "./children.ts";
import { dataDirOf, GATEWAYS, type GatewayKey, startGateways } from "./gateways.ts";
import { drive, rssOf, type Target, type Window } from "./load.ts";
import {
  apiSchema,
  fieldsToWithhold,
  leavesOf,
  WITHHELD_RULE,
  writeGrantAll,
  writeWithholding,
} from "./policies.ts";
import { roster } from "./subgraphs/roster.ts";

export { GATEWAYS, type GatewayKey } from "./gateways.ts";

export const BIG_QUERY = readFileSync(new URL("./big-query.graphql", import.meta.url), "utf8");

export const CONNECTIONS = [8, 50] as const;

export interface Measured extends Window {
  gateway: GatewayKey;
  connections: number;
  round: number;
}

export interface FederationResult {
  answerBytes: number;
  withheldFields: string[];
  /** The query's leaf fields, and the leaf values in bare's answer: what a fifth is of. */
  leafFields: number;
  leafValues: number;
  checks: Record<Exclude<GatewayKey, "bare">, Verdict>;
  windows: Measured[];
  /**
   * Requests each of ours answered in all (check, warm-up, rounds), those the load generator
   * abandoned unanswered after a window, and its access log's records.
   */
  accessLog: Record<
    Exclude<GatewayKey, "bare">,
    { answered: number; abandoned: number; records: number }
  >;
  /** Each gateway's resident set once started, before any request, bytes. */
  startRss: Record<GatewayKey, number>;
  rounds: number;
  seconds: number;
  /** Wall time of the whole section, start-up included. */
  elapsed: number;
}

const post = async (target: Target, body: string) => {
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...target.headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(text), answer: JSON.parse(text) };
};

/**
 * The federation workload after The Guild's gateways benchmark: four in-memory subgraphs, one
 * big nested query, each gateway in its own process over the same subgraphs; checked for the same
 * data first, then loaded closed-loop at each concurrency, interleaved over rounds.
 */
export async function benchFederation(seconds = 4, rounds = 3): Promise<FederationResult> {
  const began = performance.now();
  const temp = mkdtempSync(join(tmpdir(), "mash-federation-bench-"));
  const children: Child<unknown>[] = [];
  try {
    const subgraphs = await startChild<{ name: string; url: string }[]>(
      "serve-subgraphs.ts",
      [],
      {},
    );
    children.push(subgraphs);
    const urlOf = new Map(subgraphs.info.map((s) => [s.name, s.url]));
    const supergraphSdl = composeSupergraph(
      roster.map((s) => ({ name: s.name, url: urlOf.get(s.name) ?? "", sdl: s.sdl })),
    );
    const supergraphFile = join(temp, "supergraph.graphql");
    writeFileSync(supergraphFile, supergraphSdl);
    const schema = apiSchema(supergraphSdl);
    const query = parse(BIG_QUERY);
    const withheldFields = fieldsToWithhold(schema, query);
    const folders = {
      ours: writeGrantAll(supergraphSdl, join(temp, "grant-all")),
      withheld: writeWithholding(supergraphSdl, join(temp, "withheld"), withheldFields),
    };

    const { targets, children: gateways } = await startGateways(supergraphFile, temp, folders);
    children.push(...gateways);
    const at = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;
    process.stderr.write(`federation: ${at()}, the gateways serve\n`);
    const target = (key: GatewayKey) => targets.get(key) as Target;
    const startRss = Object.fromEntries(
      GATEWAYS.map((g) => [g.key, rssOf(target(g.key).pid)]),
    ) as Record<GatewayKey, number>;

    // The same data first: a gateway that answers otherwise would be measured doing less.
    const body = JSON.stringify({ query: BIG_QUERY });
    const answers = new Map<GatewayKey, { status: number; bytes: number; answer: GraphQLAnswer }>();
    for (const { key } of GATEWAYS) answers.set(key, await post(target(key), body));
    const bareAnswer = answers.get("bare") as {
      status: number;
      bytes: number;
      answer: GraphQLAnswer;
    };
    if (bareAnswer.status !== 200 || bareAnswer.answer.errors || !bareAnswer.answer.data)
      throw new Error(
        `bare @apollo/gateway did not answer the big query cleanly: ${JSON.stringify(bareAnswer.answer).slice(0, 500)}`,
      );
    const withStatus = (key: GatewayKey, verdict: Verdict): Verdict => {
      const status = answers.get(key)?.status;
      return status === 200
        ? verdict
        : { ...verdict, same: false, problems: [`HTTP ${status}`, ...verdict.problems] };
    };
    const withheldPaths = pathsOf(schema, query, bareAnswer.answer.data, new Set(withheldFields));
    const leaves = leavesOf(schema, query).all;
    const leafValues = pathsOf(schema, query, bareAnswer.answer.data, new Set(leaves)).length;
    const checks = {
      ours: withStatus("ours", sameAsBare(bareAnswer.answer, answers.get("ours")?.answer ?? {})),
      withheld: withStatus(
        "withheld",
        withheldFromBare(
          bareAnswer.answer,
          answers.get("withheld")?.answer ?? {},
          withheldPaths,
          WITHHELD_RULE,
        ),
      ),
    };

    const answered = new Map<GatewayKey, number>(GATEWAYS.map((g) => [g.key, 1]));
    const abandoned = new Map<GatewayKey, number>();
    const load = async (key: GatewayKey, connections: number, secs: number) => {
      const w = await drive(
        target(key),
        body,
        connections,
        secs,
        subgraphs.pid,
        answers.get(key)?.bytes,
      );
      answered.set(key, (answered.get(key) ?? 0) + w.answered);
      abandoned.set(key, (abandoned.get(key) ?? 0) + w.abandoned);
      return w;
    };
    // Warm each (JIT, plan caches) before anything is kept. At the lowest concurrency: at the
    // highest, a cold gateway's ramp and drain take most of the time and warm no more.
    const fewest = Math.min(...CONNECTIONS);
    for (const { key } of GATEWAYS) await load(key, fewest, 2);
    const windows: Measured[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const connections of CONNECTIONS) {
        // Rotate the order each round, so no gateway always follows the same one.
        const order = GATEWAYS.map((_, i) => GATEWAYS[(i + round - 1) % GATEWAYS.length]);
        for (const g of order) {
          if (!g) continue;
          process.stderr.write(
            `federation: ${at()}, round ${round}, ${g.key}, ${connections} connections\n`,
          );
          windows.push({
            gateway: g.key,
            connections,
            round,
            ...(await load(g.key, connections, seconds)),
          });
        }
      }
    }
    // Stopped first, so every record is written; then each access log is counted.
    for (const child of children.splice(0).reverse()) await child.stop();
    const recorded = async (key: "ours" | "withheld") => {
      const log = await openAuditStore({
        kind: "sqlite",
        file: join(dataDirOf(temp, key), "audit.sqlite"),
      });
      try {
        return {
          answered: answered.get(key) ?? 0,
          abandoned: abandoned.get(key) ?? 0,
          records: (await log.rows()).length,
        };
      } finally {
        await log.close();
      }
    };
    return {
      answerBytes: bareAnswer.bytes,
      accessLog: { ours: await recorded("ours"), withheld: await recorded("withheld") },
      withheldFields,
      leafFields: leaves.length,
      leafValues,
      checks,
      startRss,
      windows,
      rounds,
      seconds,
      elapsed: (performance.now() - began) / 1000,
    };
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => {});
    rmSync(temp, { recursive: true, force: true });
  }
}
