import { join } from "node:path";
import { type AuditRecord, type AuditStore, narrowedFetches, openAuditStore } from "@mash/gateway";
import { generatePopulation } from "@mash/kit";
import { type FieldNode, Kind, type OperationDefinitionNode, parse, print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractOperation } from "./contract.ts";
import { type AsUser, startSystem, type TestSystem } from "./system.ts";

/**
 * Fetches for people outside the request's purpose ask only what they may be shown
 * (authz/narrow-fetch.ts). Differentially: each read answered with the fetches narrowed and as
 * planned must come back byte for byte the same, with the same access-log record (but for the
 * request's id and time); and the agencies must have been asked less.
 */
describe("entity fetches narrowed to what people outside the purpose may be shown", () => {
  let system: TestSystem;
  let log: AuditStore;
  beforeAll(async () => {
    system = await startSystem({ subjects: 60, recordSubgraphRequests: true });
    log = await openAuditStore({
      kind: "sqlite",
      file: join(system.identity.dataDir, "audit.sqlite"),
    });
  });
  afterAll(async () => {
    narrowedFetches.enabled = true;
    await log?.close();
    await system?.stop();
  });

  // The fixtures' people (ENQ-2001 links three of them) and generated ones, all in the store.
  const ids = generatePopulation({ subjects: 60 })
    .persons.slice(0, 40)
    .map((p) => p.id);
  const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family }
    address { postcode } police { known incidents { id category } }
    socialCare { known openCase } health { known gpPractice { name } }
    education { known attendancePercent } probation { known mappaLevel } adultSocialCare { known } } }`;
  const DETAIL_ONLY = `query Incidents($ids: [ID!]!) { subjects(ids: $ids) { id
    police { incidents { id summary } } health { mentalHealth { service } } } }`;
  const HOUSEHOLD = `query Household($id: ID!) { subject(id: $id) { id police { known incidents { id } }
    household { id police { known warningMarkers } health { known gpPractice { name } } } } }`;

  const cases: { name: string; who: AsUser; query: string; variables: Record<string, unknown> }[] =
    [
      {
        name: "a list of forty in and out of the enquiry",
        who: { as: "mgr.okafor", enquiry: "ENQ-2001" },
        query: LIST,
        variables: { ids },
      },
      {
        name: "a list with no enquiry stated",
        who: { as: "pc.jones" },
        query: LIST,
        variables: { ids },
      },
      {
        name: "a list by an agency taking no part",
        who: { as: "asw.brown", enquiry: "ENQ-2001" },
        query: LIST,
        variables: { ids },
      },
      {
        name: "a list with the glass broken",
        who: {
          as: "mgr.okafor",
          enquiry: "ENQ-2001",
          breakGlass: "Child at immediate risk, duty manager authorised",
        },
        query: LIST,
        variables: { ids },
      },
      {
        name: "only detail asked, of people in and out",
        who: { as: "sw.patel", enquiry: "ENQ-2001" },
        query: DETAIL_ONLY,
        variables: { ids },
      },
      {
        name: "a household, each person judged for themselves",
        who: { as: "sw.patel", enquiry: "ENQ-2001" },
        query: HOUSEHOLD,
        variables: { id: "S-1001" },
      },
      {
        name: "the golden overview outside the enquiry",
        who: { as: "pc.jones" },
        query: contractOperation("SubjectOverview"),
        variables: { id: "S-1003" },
      },
    ];

  /** The request's answer text, its access-log record without its id and time, and its fetches. */
  const ask = async (c: (typeof cases)[number]) => {
    system.subgraphRequests.length = 0;
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await system.headersFor(c.who)) },
      body: JSON.stringify({ query: c.query, variables: c.variables }),
    });
    const text = await response.text();
    const rid = response.headers.get("x-request-id");
    const rows = await log.rows();
    const record = rows
      .map((r) => JSON.parse(r.body) as AuditRecord)
      .find((r) => r.requestId === rid);
    const {
      requestId: _rid,
      at: _at,
      seq: _seq,
      ...rest
    } = (record ?? {}) as Record<string, unknown>;
    return {
      status: response.status,
      text,
      record: record ? rest : undefined,
      fetches: [...system.subgraphRequests],
    };
  };

  it.each(cases.map((c) => [c.name, c] as const))(
    "%s: the same answer and record, narrowed or not",
    async (_name, c) => {
      narrowedFetches.enabled = true;
      const narrowed = await ask(c);
      narrowedFetches.enabled = false;
      const planned = await ask(c);
      narrowedFetches.enabled = true;
      expect(narrowed.status).toBe(200);
      expect(narrowed.record).toBeDefined();
      expect(narrowed.text).toBe(planned.text);
      expect(narrowed.record).toEqual(planned.record);
    },
  );

  /** The selections an entity fetch asks under a root field (by response key), as text. */
  const asked = (query: string, key: string) => {
    const operation = parse(query).definitions[0] as OperationDefinitionNode;
    const root = operation.selectionSet.selections.find(
      (s): s is FieldNode => s.kind === Kind.FIELD && (s.alias ?? s.name).value === key,
    );
    return root ? print(root) : undefined;
  };

  it("asks police incidents only of the people the enquiry links, in one request", async () => {
    const c = cases[0] as (typeof cases)[number];
    const entityFetches = (fetches: Awaited<ReturnType<typeof ask>>["fetches"]) =>
      fetches.filter((f) => f.subgraph === "police" && f.representations);
    narrowedFetches.enabled = false;
    const planned = entityFetches((await ask(c)).fetches);
    narrowedFetches.enabled = true;
    const narrowed = entityFetches((await ask(c)).fetches);
    // As planned: one fetch, everyone, incidents and all.
    expect(planned).toHaveLength(1);
    expect(planned[0]?.representations).toEqual(ids);
    expect(planned[0]?.outside).toBeUndefined();
    expect(asked(planned[0]?.query ?? "", "_entities")).toContain("incidents");
    // Narrowed: still one request; the linked people as planned, the rest without what no rule
    // shows them, under the second field.
    const linked = ["S-1001", "S-1002", "S-1003"];
    expect(narrowed).toHaveLength(1);
    const [both] = narrowed;
    expect(both?.representations).toEqual(linked);
    expect(both?.outside).toEqual(ids.filter((id) => !linked.includes(id)));
    expect(asked(both?.query ?? "", "_entities")).toContain("incidents");
    const outside = asked(both?.query ?? "", "_authz_outside");
    expect(outside).toContain("known");
    expect(outside).not.toContain("incidents");
  });

  it("asks people outside for the record and nothing in it where only its detail is asked", async () => {
    const c = cases[4] as (typeof cases)[number];
    narrowedFetches.enabled = true;
    const [health] = (await ask(c)).fetches.filter(
      (f) => f.subgraph === "health" && f.representations,
    );
    // mentalHealth is for people in the enquiry only; the health record itself may be shown
    // (its known flag), so the people outside are asked for the record and nothing in it.
    expect(asked(health?.query ?? "", "_entities")).toContain("mentalHealth");
    const outside = asked(health?.query ?? "", "_authz_outside");
    expect(outside).toMatch(/health\s*\{\s*__typename\s*\}/);
    expect([...(health?.representations ?? []), ...(health?.outside ?? [])].sort()).toEqual(
      [...ids].sort(),
    );
  });

  it("asks no one outside where no one is inside: the narrowed fetch alone", async () => {
    const c = cases[1] as (typeof cases)[number];
    narrowedFetches.enabled = true;
    const [health] = (await ask(c)).fetches.filter(
      (f) => f.subgraph === "health" && f.representations,
    );
    // A police officer with no enquiry stated: a GP practice is for an enquiry only.
    expect(health?.representations).toEqual(ids);
    expect(health?.outside).toBeUndefined();
    expect(asked(health?.query ?? "", "_entities")).toContain("known");
    expect(asked(health?.query ?? "", "_entities")).not.toContain("gpPractice");
  });

  // Last: it stops an agency. A narrowed fetch that fails fails as the planned one did.
  it("an agency that does not answer is missing the same way, narrowed or not", async () => {
    await system.subgraphs.find((s) => s.name === "health")?.stop();
    for (const c of [cases[0], cases[1]] as (typeof cases)[number][]) {
      narrowedFetches.enabled = true;
      const narrowed = await ask(c);
      narrowedFetches.enabled = false;
      const planned = await ask(c);
      narrowedFetches.enabled = true;
      expect(narrowed.text).toContain("AGENCY_UNAVAILABLE");
      expect(narrowed.text).toBe(planned.text);
      expect(narrowed.record).toEqual(planned.record);
    }
  });
});
