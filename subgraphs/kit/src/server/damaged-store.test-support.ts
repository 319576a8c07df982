import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import Database from "better-sqlite3";
import { parse } from "graphql";
import { type Kysely, type Migration, sql } from "kysely";
import pg from "pg";
import { expect } from "vitest";
import type { StoreConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { signTestContext } from "../testing/context.ts";
import { tempStores, testContextKeys, testDatabaseUrl } from "../testing/index.ts";
import { GATEWAY_SUBJECT } from "../trust/context.ts";
import { defineAgency } from "./agency.ts";
import { type RunningSubgraph, startSubgraph } from "./start-subgraph.ts";
import { SUBJECT_COUNTS_PATH } from "./subject-counts.ts";

/** A made-up agency with enough rows to fill many pages, a read of them all, and a write. */
export interface ClinicDB {
  visits: { subject_id: string; id: string; note: string };
}

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("visits")
        .addColumn("subject_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("note", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("visits_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

export const clinic = defineAgency<ClinicDB, undefined>({
  name: "clinic",
  title: "Clinic",
  defaultPort: 0,
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
    type Query { noteLength: Int! }
    type Mutation { addVisit(subjectId: ID!): Boolean! }
  `),
  migrations,
  tables: ["visits"],
  createLoaders: () => undefined,
  resolvers: {
    Query: {
      // Reads every row, so every page of the table.
      async noteLength(_, __, { store }) {
        const row = await store.db
          .selectFrom("visits")
          .select((s) => s.fn.sum<number | string>(sql`length(note)`).as("n"))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      },
    },
    Mutation: {
      async addVisit(_, { subjectId }: { subjectId: string }, { store }) {
        await store.db
          .insertInto("visits")
          .values({ subject_id: subjectId, id: `V${Date.now()}`, note: "added" })
          .execute();
        return true;
      },
    },
  },
  async seed({ db, population }) {
    const rows = population.persons.map((p) => ({
      subject_id: p.id,
      id: "V1",
      note: `${p.id} `.repeat(20),
    }));
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto("visits")
        .values(rows.slice(i, i + 200))
        .execute();
  },
});

const SUBJECTS = 2000;
const PAGE = 4096;

const running: RunningSubgraph[] = [];
const cleanups: (() => Promise<void>)[] = [];
/** Stops every clinic started and removes its store: for the suite's afterEach. */
export async function stopClinics(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
}

/** A temp store for one test, removed by stopClinics. */
export function tempStore(backend: "sqlite" | "postgres"): StoreConfig {
  const temp = tempStores(backend);
  cleanups.push(() => temp.cleanup());
  return temp.configFor("clinic");
}

export function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("clinic", "info", {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return {
    logger,
    lines,
    damageLines: () => lines.filter((l) => /store damaged/.test(String(l.msg))),
  };
}

export async function start(store: StoreConfig, logger = createLogger("clinic", "silent")) {
  const subgraph = await startSubgraph(clinic, {
    env: process.env,
    port: 0,
    store,
    seedSubjects: SUBJECTS,
    logger,
    contextVerifyKeys: (await testContextKeys()).verifyKeys,
  });
  running.push(subgraph);
  return subgraph;
}

/** A store of the clinic's, seeded and closed: what an operator's data directory holds. */
export async function seededStore(backend: "sqlite" | "postgres") {
  const config = tempStore(backend);
  const first = await start(config);
  await first.stop();
  return config;
}

export async function post(subgraph: RunningSubgraph, query: string, caller = {}) {
  const body = JSON.stringify({ query });
  const response = await fetch(subgraph.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-mash-context": await signTestContext("clinic", caller, body),
    },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

export const health = async (subgraph: RunningSubgraph) => {
  const response = await fetch(subgraph.url.replace("/graphql", "/health"));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

export const hashOf = (file: string) =>
  createHash("sha256").update(readFileSync(file)).digest("hex");

/** Garbage over the middle third of the file: the header (page 1) stays as it was. */
export function damagePages(file: string): void {
  const pages = Math.floor(statSync(file).size / PAGE);
  expect(pages).toBeGreaterThan(30);
  const from = Math.floor(pages / 3);
  const span = Buffer.alloc((Math.floor((2 * pages) / 3) - from) * PAGE, 0x5a);
  const fd = openSync(file, "r+");
  try {
    writeSync(fd, span, 0, span.length, from * PAGE);
  } finally {
    closeSync(fd);
  }
}

/** What the subgraph must answer once damaged: 503 for data, its schema still for the gateway. */
export async function expectRefusesAllButTheSchema(subgraph: RunningSubgraph) {
  for (const query of ["{ noteLength }", 'mutation { addVisit(subjectId: "S-1") }']) {
    const { status, body } = await post(subgraph, query);
    expect(status, query).toBe(503);
    expect(body.data, query).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code, query).toBe("STORE_DAMAGED");
    expect(body.errors?.[0]?.message, query).toMatch(/clinic store is damaged/);
    // Nothing of the file or of the database's words leaves the subgraph.
    expect(JSON.stringify(body), query).not.toMatch(/sqlite|malformed|SQLITE|schema "/i);
  }
  const schema = await post(subgraph, "{ _service { sdl } }", { sub: GATEWAY_SUBJECT });
  expect(schema.status).toBe(200);
  expect(JSON.stringify(schema.body)).toContain("noteLength");
  const counts = await fetch(new URL(SUBJECT_COUNTS_PATH, subgraph.url), {
    headers: { "x-mash-context": await signTestContext("clinic", { sub: GATEWAY_SUBJECT }) },
  });
  expect(counts.status).toBe(503);
  expect(await counts.json()).toMatchObject({ code: "STORE_DAMAGED" });
  expect(await health(subgraph)).toEqual({
    status: 503,
    body: { status: "unavailable", agency: "clinic", problem: "store damaged" },
  });
}

/** Runs one statement on the clinic's schema, as an operator (or an accident) would. */
export async function onSchema(config: StoreConfig, statement: string) {
  if (config.kind !== "postgres") throw new Error("postgres expected");
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

/** How many visits the store holds, read apart from the subgraph. */
export async function visitsIn(config: StoreConfig): Promise<number> {
  if (config.kind === "postgres")
    return (await onSchema(config, "select count(*)::int as n from visits")).rows[0].n;
  const db = new Database(config.file, { readonly: true });
  try {
    return (db.prepare("select count(*) as n from visits").get() as { n: number }).n;
  } finally {
    db.close();
  }
}
