import { parse } from "graphql";
import { type Kysely, type Migration, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { generatePopulation } from "../population/generate.ts";
import { signTestContext, storeBackends, useRunningSubgraph } from "../testing/index.ts";
import { GATEWAY_SUBJECT, signContext } from "../trust/context.ts";
import { importSigningKey, newContextKeyPair } from "../trust/keys.ts";
import { type AnyAgency, defineAgency } from "./agency.ts";
import {
  SUBJECT_COUNTS_PATH,
  type SubjectCountsBody,
  subjectCountsFrom,
} from "./subject-counts.ts";

/** A made-up agency: every third person has visits, every fifth of those a follow-up. */
interface VisitsDB {
  visits: { subject_id: string; id: string; follow_up: number };
}

const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("visits")
        .addColumn("subject_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("follow_up", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("visits_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Subject @key(fields: "id") { id: ID! visits: [Visit!] }
  type Visit { id: ID! followUp: Boolean }
`);

function visitsAgency(name: string, subjectCounts?: AnyAgency["subjectCounts"]): AnyAgency {
  return defineAgency<VisitsDB, undefined>({
    name,
    title: `Visits (${name})`,
    defaultPort: 0,
    typeDefs,
    migrations,
    tables: ["visits"],
    createLoaders: () => undefined,
    resolvers: {},
    async seed({ db, population }) {
      const rows = population.persons
        .filter((p) => p.index % 3 === 0)
        .flatMap((p) => [
          { subject_id: p.id, id: "V1", follow_up: p.index % 5 === 0 ? 1 : 0 },
          // A second visit per person: counts are of subjects, not of records.
          { subject_id: p.id, id: "V2", follow_up: 0 },
        ]);
      for (let i = 0; i < rows.length; i += 200)
        await db
          .insertInto("visits")
          .values(rows.slice(i, i + 200))
          .execute();
    },
    ...(subjectCounts ? { subjectCounts } : {}),
  });
}

const countVisits = async (store: { db: Kysely<VisitsDB> }) =>
  subjectCountsFrom(
    await store.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom("visits")
          .select((s) => s.fn.count("subject_id").distinct().as("n"))
          .as("Visit"),
      ])
      .executeTakeFirstOrThrow(),
  );

const SUBJECTS = 120;

async function getCounts(url: string, headers: Record<string, string> = {}, method = "GET") {
  const response = await fetch(new URL(SUBJECT_COUNTS_PATH, url), { method, headers });
  return {
    status: response.status,
    body: (await response.json()) as Partial<SubjectCountsBody> & { error?: string },
  };
}

const asGateway = async (audience: string) => ({
  "x-mash-context": await signTestContext(audience, { sub: GATEWAY_SUBJECT }),
});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`GET /subject-counts on ${backend}`, () => {
    const { subgraph } = useRunningSubgraph(visitsAgency("visits", countVisits), backend, SUBJECTS);

    it("answers the gateway with distinct subjects per type, as direct SQL counts them", async () => {
      const { status, body } = await getCounts(subgraph().url, await asGateway("visits"));
      expect(status).toBe(200);
      const direct = await sql<{ n: number | string }>`
        select count(*) as n from (select distinct subject_id from visits) as d
      `.execute(subgraph().store.db);
      const expected = generatePopulation({ subjects: SUBJECTS }).persons.filter(
        (p) => p.index % 3 === 0,
      ).length;
      expect(Number(direct.rows[0]?.n)).toBe(expected);
      expect(body).toEqual({ agency: "visits", counts: { Visit: expected } });
    });

    it("refuses a request without a context, and says nothing of the counts", async () => {
      const { status, body } = await getCounts(subgraph().url);
      expect(status).toBe(401);
      expect(body.error).toMatch(/X-MASH-Context/);
      expect(body).not.toHaveProperty("counts");
    });

    it("refuses a context the gateway did not sign", async () => {
      const { privateJwk } = await newContextKeyPair();
      const forger = await importSigningKey(privateJwk, "forger");
      const token = await signContext(
        forger,
        "visits",
        { sub: GATEWAY_SUBJECT, roles: [], rid: "forged" },
        "",
      );
      const { status, body } = await getCounts(subgraph().url, { "x-mash-context": token });
      expect(status).toBe(401);
      expect(body).not.toHaveProperty("counts");
    });

    it("refuses a context signed for another subgraph", async () => {
      const { status, body } = await getCounts(subgraph().url, await asGateway("police"));
      expect(status).toBe(401);
      expect(body.error).toMatch(/another subgraph/);
      expect(body).not.toHaveProperty("counts");
    });

    it("refuses a user's context: the counts are for the gateway's own requests", async () => {
      const headers = { "x-mash-context": await signTestContext("visits", { sub: "someone" }) };
      const { status, body } = await getCounts(subgraph().url, headers);
      expect(status).toBe(403);
      expect(body).not.toHaveProperty("counts");
    });

    it("answers GET only", async () => {
      const { status } = await getCounts(subgraph().url, await asGateway("visits"), "POST");
      expect(status).toBe(405);
    });
  });
}

describe("GET /subject-counts when the agency cannot answer", () => {
  const without = useRunningSubgraph(visitsAgency("no-counts"), "sqlite", 10);
  const stray = useRunningSubgraph(
    visitsAgency("stray", async () => ({ Visit: 1, PoliceIncident: 2 })),
    "sqlite",
    10,
  );

  it("answers 404 when the agency has no count hook", async () => {
    const { status, body } = await getCounts(without.subgraph().url, await asGateway("no-counts"));
    expect(status).toBe(404);
    expect(body).not.toHaveProperty("counts");
  });

  it("fails rather than answer a count under a type its schema does not define", async () => {
    const { status, body } = await getCounts(stray.subgraph().url, await asGateway("stray"));
    expect(status).toBe(500);
    expect(body).not.toHaveProperty("counts");
  });
});

describe("subjectCountsFrom", () => {
  it("reads PostgreSQL's bigint counts, given as strings or bigints", () => {
    expect(subjectCountsFrom({ A: "12", B: 3n, C: 0 })).toEqual({ A: 12, B: 3, C: 0 });
  });

  it("refuses what is not a count", () => {
    expect(() => subjectCountsFrom({ A: "x" })).toThrow(/A count/);
    expect(() => subjectCountsFrom({ A: -1 })).toThrow(/A count/);
  });
});
