import { createHash } from "node:crypto";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  devUsers,
  loadDevSigningKey,
  loadIdentityConfig,
  type RunningGateway,
  signDevToken,
  startGateway,
} from "@mash/gateway";
import {
  createLogger,
  devContextKey,
  importSigningKey,
  publicContextJwk,
  type RunningSubgraph,
  type StoreConfig,
  startSubgraph,
} from "@mash/kit";
import { type Backend, tempStores, testDatabaseUrl } from "@mash/kit/testing";
import pg from "pg";
import { expect } from "vitest";
import { agencies } from "../../scripts/agencies.ts";
import { projectOperation } from "./contract.ts";
import { type GraphQLBody, testGatewayConfig } from "./system.ts";

/**
 * One agency's store damaged, the rest of the graph as `npm start` runs it: every subgraph
 * started (the damaged one too) and the gateway composing the graph from them at start.
 */
export const SUBJECTS = 200;
export const OVERVIEW = projectOperation("SubjectOverview");
/** In ENQ-2001: Ryan is known to police and probation, Amelia to health and education. */
export const RYAN = { id: "S-1003", name: { given: "Ryan", family: "Carter" } };
export const AMELIA = { id: "S-1001", name: { given: "Amelia", family: "Doe" } };
export type Person = typeof RYAN;
export const PRACTITIONER = { as: "sw.patel", enquiry: "ENQ-2001" };

export interface DamagedSystem {
  gatewayUrl: string;
  subgraph(name: string): RunningSubgraph;
  config(name: string): StoreConfig;
  /** What each subgraph logged at error level. */
  errors: Record<string, unknown>[];
  overview(person?: Person): Promise<{ status: number; body: GraphQLBody<{ subject: Subject }> }>;
  /** An operation as sw.patel, with ENQ-2001 as purpose unless `enquiry` is false. */
  query<T>(
    query: string,
    variables: Record<string, unknown>,
    enquiry?: boolean,
  ): Promise<{ status: number; body: GraphQLBody<T> }>;
  gatewayHealth(): Promise<{ status: number; body: GatewayHealth }>;
  /** Stops the gateway and every subgraph; the stores are removed after the test. */
  stop(): Promise<void>;
}

export type Subject = Record<string, unknown> & { name?: unknown };
export interface GatewayHealth {
  status: string;
  subgraphs: Record<string, string>;
  unavailable?: string[];
}

const stops: (() => Promise<void>)[] = [];
/** Stops every system started, and removes its stores: for the suite's afterEach. */
export async function stopDamagedSystems(): Promise<void> {
  for (const stop of stops.splice(0)) await stop();
}

/**
 * The graph on free ports and private stores. `beforeStart` runs on one agency's store after it
 * was seeded and closed, before anything serves: the damage an operator's restart finds.
 */
export async function startDamaged(
  backend: Backend,
  beforeStart?: { agency: string; damage(config: StoreConfig): Promise<void> },
): Promise<DamagedSystem> {
  const temp = tempStores(backend);
  const gatewayData = mkdtempSync(join(tmpdir(), "mash-gateway-"));
  const errors: Record<string, unknown>[] = [];
  const logger = createLogger("test", "error", {
    write: (line: string) => {
      errors.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const subgraphs: RunningSubgraph[] = [];
  let gateway: RunningGateway | undefined;
  let stopped: Promise<void> | undefined;
  // The stores stay until the test is over: what stopping leaves in them is checked.
  const stop = () => {
    stopped ??= (async () => {
      await gateway?.stop();
      await Promise.all(subgraphs.map((s) => s.stop()));
    })();
    return stopped;
  };
  stops.push(async () => {
    await stop();
    await temp.cleanup();
    rmSync(gatewayData, { recursive: true, force: true });
  });
  const devKey = await devContextKey(gatewayData);
  const start = (name: string) => {
    const agency = agencies.find((a) => a.name === name);
    if (!agency) throw new Error(`no agency ${name}`);
    return startSubgraph(agency, {
      env: process.env,
      port: 0,
      store: temp.configFor(name),
      seedSubjects: SUBJECTS,
      logger,
      contextVerifyKeys: [publicContextJwk(devKey)],
    });
  };
  if (beforeStart) {
    await (await start(beforeStart.agency)).stop();
    await beforeStart.damage(temp.configFor(beforeStart.agency));
  }
  for (const agency of agencies) subgraphs.push(await start(agency.name));
  gateway = await startGateway(
    testGatewayConfig(subgraphs.map((s) => ({ name: s.name, url: s.url }))),
    {
      logger: createLogger("test", "silent"),
      identity: loadIdentityConfig({ MASH_DATA_DIR: gatewayData }),
      contextKey: await importSigningKey(devKey, "test"),
    },
  );
  const signing = await loadDevSigningKey(gatewayData);
  const user = devUsers().find((u) => u.username === PRACTITIONER.as);
  if (!user) throw new Error(`no development user ${PRACTITIONER.as}`);
  const token = await signDevToken(signing, user);
  const url = gateway.url;
  const query = async <T>(text: string, variables: Record<string, unknown>, enquiry = true) => {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        ...(enquiry ? { "x-mash-enquiry": PRACTITIONER.enquiry } : {}),
      },
      body: JSON.stringify({ query: text, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLBody<T> };
  };
  return {
    gatewayUrl: url,
    subgraph: (name) => {
      const found = subgraphs.find((s) => s.name === name);
      if (!found) throw new Error(`no subgraph ${name}`);
      return found;
    },
    config: (name) => temp.configFor(name),
    errors,
    query,
    overview: (person = RYAN) => query<{ subject: Subject }>(OVERVIEW, { id: person.id }),
    async gatewayHealth() {
      const response = await fetch(url.replace("/graphql", "/health"));
      return { status: response.status, body: (await response.json()) as GatewayHealth };
    },
    stop,
  };
}

export const hashOf = (file: string) =>
  createHash("sha256").update(readFileSync(file)).digest("hex");
export const fileOf = (config: StoreConfig) => {
  if (config.kind !== "sqlite") throw new Error("a SQLite store expected");
  return config.file;
};

/** Garbage over every page but the first: the header is intact, no table can be read. */
export function damagePages(file: string): void {
  const size = statSync(file).size;
  const page = 4096;
  expect(size).toBeGreaterThan(4 * page);
  const garbage = Buffer.alloc(size - page, 0x5a);
  const fd = openSync(file, "r+");
  try {
    writeSync(fd, garbage, 0, garbage.length, page);
  } finally {
    closeSync(fd);
  }
}

/** The agency's section null with AGENCY_UNAVAILABLE naming it, and every other section served. */
export function expectOnlyUnavailable(
  body: GraphQLBody<{ subject: Subject }>,
  agency: string,
  section: string,
  person: Person = RYAN,
) {
  const subject = body.data?.subject;
  expect(subject?.id).toBe(person.id);
  expect(subject?.name).toEqual(person.name);
  expect(subject?.[section]).toBeNull();
  const unavailable = body.errors?.filter((e) => e.extensions?.code === "AGENCY_UNAVAILABLE");
  expect(unavailable).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/is not answering: this part is missing, not withheld/),
      path: ["subject", section],
      extensions: { code: "AGENCY_UNAVAILABLE", agency },
    }),
  ]);
  // Not an internal error per person, and nothing of the store in the answer.
  expect(JSON.stringify(body)).not.toMatch(
    /Internal error|INTERNAL|SQLITE|sqlite|malformed|relation|STORE_DAMAGED/,
  );
  return subject;
}

/** The gateway's /health: 503, naming the agency and its stated problem, never its file. */
export async function expectHealthNames(system: DamagedSystem, agency: string) {
  const { status, body } = await system.gatewayHealth();
  expect(status).toBe(503);
  expect(body.unavailable).toEqual([agency]);
  expect(body.subgraphs[agency]).toBe("store damaged");
  expect(JSON.stringify(body)).not.toMatch(/sqlite|malformed|schema|\//i);
}

export const damageLines = (system: DamagedSystem, agency: string) =>
  system.errors.filter((l) => l.agency === agency && /store damaged/.test(String(l.msg)));

/** One statement on an agency's schema, as an operator (or an accident) would run it. */
export async function onSchema(config: StoreConfig, statement: string) {
  if (config.kind !== "postgres") throw new Error("a PostgreSQL store expected");
  const client = new pg.Client({
    connectionString: testDatabaseUrl,
    options: `-c search_path="${config.schema}"`,
  });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}
