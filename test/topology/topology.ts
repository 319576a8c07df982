import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDevSigningKey } from "@mash/gateway";
import { devContextKey } from "@mash/kit";
import { createTopologyDatabase, type TopologyDatabase } from "./database.ts";
import { type RunningHaproxy, startHaproxy } from "./haproxy.ts";
import { type Identities, identities } from "./identities.ts";
import { killAll, type NodeProcess, startNode } from "./processes.ts";
import { natsUrl, redisUrl } from "./services.ts";

/** The per-user budget every gateway enforces: ten at once, then one every ten seconds. */
export const BUDGET = { burst: 10, perMinute: 6 };
/** How long a gateway answers /health 503 after SIGTERM before it closes its listener. */
export const SHUTDOWN_DELAY_MS = 2000;

export interface GatewaySlot {
  name: string;
  port: number;
  url: string;
  process: NodeProcess;
}

export interface Topology {
  run: string;
  database: TopologyDatabase;
  haproxy: RunningHaproxy;
  /** HAProxy's /graphql. */
  url: string;
  gateways: GatewaySlot[];
  identities: Identities;
  natsSubject: string;
  /** Starts the slot's gateway again (after it stopped), on its port; resolves when it listens. */
  restart(slot: GatewaySlot): Promise<void>;
  /** Everything's output, for a failure's message. */
  logs(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on now: HAProxy's config needs the gateways' ports before they start. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Seven agencies (one process), three gateways (a process each) and HAProxy in front, every
 * store in one fresh PostgreSQL database, rate budgets in Redis, notifications on NATS. Whatever
 * was started is stopped and the database dropped if the start fails part way.
 */
export async function startTopology(): Promise<Topology> {
  const run = `${Date.now().toString(36)}${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), "mash-topology-"));
  const dataDir = join(dir, "data");
  const processes: NodeProcess[] = [];
  let database: TopologyDatabase | undefined;
  let haproxy: RunningHaproxy | undefined;
  const stop = async () => {
    await haproxy?.stop();
    await killAll(processes);
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const db = await createTopologyDatabase();
    database = db;
    // The development keys, made here before any process starts so that none races to make
    // them: every gateway signs subgraph contexts with one key and trusts the same tokens.
    await devContextKey(dataDir);
    const key = await loadDevSigningKey(dataDir);
    const natsSubject = `mash.topology.${run}`;
    // One database: each agency in a schema of its own, the access log in `audit`, published
    // policies in `policy`.
    const shared = { MASH_DATA_DIR: dataDir, MASH_DATABASE_URL: db.url };
    const agencies = startNode("agencies", "test/topology/agencies-main.ts", {
      ...shared,
      MASH_SEED_SUBJECTS: "40",
    });
    processes.push(agencies);
    const frontendPort = await freePort();
    const slots = await Promise.all(
      ["gw1", "gw2", "gw3"].map(async (name) => ({ name, port: await freePort() })),
    );
    const subgraphUrls = await agencies.ready;
    const gatewayEnv = (port: number) => ({
      ...shared,
      PORT: String(port),
      HOST: "127.0.0.1",
      MASH_SUBGRAPH_URLS: subgraphUrls,
      MASH_AUDIT_DATABASE_URL: db.url,
      MASH_POLICY_DATABASE_URL: db.url,
      MASH_REDIS_URL: redisUrl,
      MASH_NOTIFY_NATS_URL: natsUrl,
      MASH_NOTIFY_NATS_SUBJECT: natsSubject,
      MASH_RATE_LIMIT_BURST: String(BUDGET.burst),
      MASH_RATE_LIMIT_PER_MINUTE: String(BUDGET.perMinute),
      MASH_SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    });
    const launch = (slot: { name: string; port: number }) => {
      const p = startNode(slot.name, "gateway/src/main.ts", gatewayEnv(slot.port));
      processes.push(p);
      return p;
    };
    const gateways: GatewaySlot[] = await Promise.all(
      slots.map(async (slot) => {
        const p = launch(slot);
        return { ...slot, url: await p.ready, process: p };
      }),
    );
    haproxy = await startHaproxy(dir, frontendPort, slots);
    const lb = haproxy;
    return {
      run,
      database: db,
      haproxy: lb,
      url: `${lb.url}/graphql`,
      gateways,
      identities: identities(key, run),
      natsSubject,
      async restart(slot) {
        slot.process = launch(slot);
        await slot.process.ready;
      },
      logs: () =>
        [...processes.map((p) => `--- ${p.name}\n${p.output()}`), `--- haproxy\n${lb.output()}`]
          .filter((s) => !/^--- \S+\n$/.test(s))
          .join("\n"),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves when HAProxy reports every named server in the given state; throws after `ms`. */
export async function untilStates(
  haproxy: RunningHaproxy,
  wanted: Record<string, "UP" | "DOWN">,
  ms: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const states = await haproxy.states();
    if (Object.entries(wanted).every(([name, s]) => (states.get(name) ?? "").split(" ")[0] === s))
      return Date.now() - started;
    if (Date.now() - started > ms)
      throw new Error(
        `HAProxy did not report ${JSON.stringify(wanted)} within ${ms} ms: ${JSON.stringify([...states])}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}
