import { createServer } from "node:http";
import { type AnyAgency, defineAgency, GATEWAY_SUBJECT, generatePopulation } from "@mash/kit";
import { close, listen } from "@mash/kit/http";
import { testContextKeys, useRunningSubgraph } from "@mash/kit/testing";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextSigner, gatewayCaller } from "../server/subgraph-context.ts";
import { createSubjectCounts, SubjectCountsError, subjectCountsUrl } from "./subject-counts.ts";

interface RecordsDB {
  records: { subject_id: string; id: string };
}

const SUBJECTS = 60;
const population = generatePopulation({ subjects: SUBJECTS });

/**
 * A made-up agency holding `type` records for every `every`th person (two each, so a count of
 * records would differ from a count of subjects), counting them the way the real agencies do.
 */
function recordsAgency(name: string, type: string, every: number): AnyAgency {
  const migrations: AnyAgency["migrations"] = {
    "0001_initial": {
      async up(db) {
        await db.schema
          .createTable("records")
          .addColumn("subject_id", "text", (c) => c.notNull())
          .addColumn("id", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("records_pk", ["subject_id", "id"])
          .execute();
      },
    },
  };
  return defineAgency<RecordsDB, undefined>({
    name,
    title: name,
    defaultPort: 0,
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Subject @key(fields: "id") { id: ID! records: [${type}!] }
      type ${type} { id: ID! }
    `),
    migrations,
    tables: ["records"],
    createLoaders: () => undefined,
    resolvers: {},
    async seed({ db, population }) {
      const rows = population.persons
        .filter((p) => p.index % every === 0)
        .flatMap((p) => ["R1", "R2"].map((id) => ({ subject_id: p.id, id })));
      await db.insertInto("records").values(rows).execute();
    },
    async subjectCounts(store) {
      const row = await store.db
        .selectFrom("records")
        .select((s) => s.fn.count("subject_id").distinct().as("n"))
        .executeTakeFirstOrThrow();
      return { [type]: Number(row.n) };
    },
  });
}

const expectedFor = (every: number) =>
  population.persons.filter((p) => p.index % every === 0).length;

/** The gateway's own signer, as start-gateway.ts makes it, over the key the test subgraphs trust. */
const gatewaySign = async (subgraph: string) =>
  contextSigner((await testContextKeys()).signingKey)(subgraph, gatewayCaller(), "");

describe("createSubjectCounts", () => {
  const alpha = useRunningSubgraph(recordsAgency("alpha", "Visit", 3), "sqlite", SUBJECTS);
  const beta = useRunningSubgraph(recordsAgency("beta", "Call", 4), "sqlite", SUBJECTS);
  const endpoints = () => [
    { name: "alpha", url: alpha.subgraph().url },
    { name: "beta", url: beta.subgraph().url },
  ];

  // A port nothing listens on, and a server that takes requests and never answers them.
  let closedUrl = "";
  const silent = createServer(() => {});
  let silentUrl = "";
  beforeAll(async () => {
    const probe = createServer();
    const port = await listen(probe, 0, "127.0.0.1");
    await close(probe);
    closedUrl = `http://127.0.0.1:${port}/graphql`;
    silentUrl = `http://127.0.0.1:${await listen(silent, 0, "127.0.0.1")}/graphql`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await close(silent);
  });

  it("merges every agency's counts of distinct subjects per type", async () => {
    const counts = createSubjectCounts({
      subgraphs: endpoints(),
      sign: gatewaySign,
      timeoutMs: 5000,
    });
    expect(await counts()).toEqual({ Visit: expectedFor(3), Call: expectedFor(4) });
  });

  it("rejects naming an unreachable subgraph", async () => {
    const counts = createSubjectCounts({
      subgraphs: [...endpoints(), { name: "gamma", url: closedUrl }],
      sign: gatewaySign,
      timeoutMs: 5000,
    });
    const error = await counts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubjectCountsError);
    expect((error as SubjectCountsError).failures).toEqual([
      { subgraph: "gamma", problem: "is unreachable" },
    ]);
    expect((error as Error).message).toMatch(/the gamma subgraph is unreachable/);
    // The officer sees which agency is missing, not where it lives.
    expect((error as Error).message).not.toContain("127.0.0.1");
  });

  it("rejects naming a subgraph that does not answer in time", async () => {
    const counts = createSubjectCounts({
      subgraphs: [...endpoints(), { name: "slow", url: silentUrl }],
      sign: gatewaySign,
      timeoutMs: 300,
    });
    await expect(counts()).rejects.toThrow(/the slow subgraph did not answer within 300 ms/);
  });

  it("rejects naming each subgraph that refuses the context", async () => {
    // alpha gets a user's context (403); beta the gateway's, but addressed to alpha (401).
    const { signingKey } = await testContextKeys();
    const counts = createSubjectCounts({
      subgraphs: endpoints(),
      sign: (subgraph) =>
        contextSigner(signingKey)(
          "alpha",
          {
            sub: subgraph === "alpha" ? "some-user" : GATEWAY_SUBJECT,
            roles: [],
            rid: "r1",
          },
          "",
        ),
      timeoutMs: 5000,
    });
    const error = (await counts().catch((e: unknown) => e)) as SubjectCountsError;
    expect(error.failures).toEqual([
      { subgraph: "alpha", problem: "refused the gateway's signed context (HTTP 403)" },
      { subgraph: "beta", problem: "refused the gateway's signed context (HTTP 401)" },
    ]);
  });

  it("rejects an answer from another agency than the one asked", async () => {
    const counts = createSubjectCounts({
      // A misconfigured address: "beta" points at alpha, and the context verifies there.
      subgraphs: [{ name: "beta", url: alpha.subgraph().url }],
      sign: () => gatewaySign("alpha"),
      timeoutMs: 5000,
    });
    await expect(counts()).rejects.toThrow(/the beta subgraph answered as "alpha"/);
  });

  it("finds the count route beside the GraphQL endpoint", () => {
    expect(subjectCountsUrl("http://police:4002/graphql")).toBe(
      "http://police:4002/subject-counts",
    );
  });
});
