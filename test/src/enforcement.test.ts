import { parse, visit } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./system.ts";

/** Field names a subgraph was asked for (aliases resolved), from the recorded fetches. */
function fieldsAsked(system: TestSystem, subgraph: string): Set<string> {
  const names = new Set<string>();
  for (const f of system.subgraphRequests.filter((r) => r.subgraph === subgraph)) {
    visit(parse(f.query), { Field: (node) => void names.add(node.name.value) });
  }
  return names;
}

const errorsAt = (body: { errors?: { path?: (string | number)[] }[] }) =>
  (body.errors ?? []).map((e) => e.path?.join("."));

describe("enforcement in the gateway", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 50, recordSubgraphRequests: true });
  });
  afterAll(() => system?.stop());
  beforeEach(() => {
    system.subgraphRequests.length = 0;
  });

  it("never asks a subgraph for a field the request may not see", async () => {
    const { body } = await system.query(
      '{ subject(id: "S-1003") { police { incidents { id category summary } warningMarkers } probation { mappaLevel offences { id } } } }',
      {},
      { as: "nurse.evans", enquiry: "ENQ-2001" },
    );
    expect(errorsAt(body)).toEqual(
      expect.arrayContaining([
        "subject.police.incidents.0.summary",
        "subject.police.warningMarkers",
        "subject.probation.mappaLevel",
        "subject.probation.offences",
      ]),
    );
    const police = fieldsAsked(system, "police");
    expect(police.has("incidents")).toBe(true);
    expect(police.has("category")).toBe(true);
    expect(police.has("summary")).toBe(false);
    expect(police.has("warningMarkers")).toBe(false);
    const probation = fieldsAsked(system, "probation");
    expect(probation.has("mappaLevel")).toBe(false);
    expect(probation.has("offences")).toBe(false);
  });

  it("sends nothing to any agency for a role that may see no subject data", async () => {
    const { status, body } = await system.query(
      '{ subject(id: "S-1003") { name { given } police { known } } }',
      {},
      { as: "ig.police" },
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ subject: null });
    expect(body.errors?.[0]).toMatchObject({
      path: ["subject"],
      extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE", rule: "default-deny", owner: "mash" },
    });
    expect(system.subgraphRequests.filter((r) => !r.query.includes("StatedEnquiry"))).toEqual([]);
  });

  it("leaves out an item a condition the requester cannot read withholds, even unasked for", async () => {
    const { body } = await system.query<{
      subject: { police: { intelligence: { id: string; summary: string | null }[] } };
    }>(
      '{ subject(id: "S-1003") { police { intelligence { id summary } } } }',
      {},
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    // The code C item is absent, as if it did not exist: no id, no error, one item, not two.
    expect(body.data?.subject.police.intelligence).toEqual([
      { id: "INT-77", summary: "Ryan believed to be drinking heavily at weekends" },
    ]);
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain("_authz_");
  });

  it("judges through aliases, fragments, inline fragments and variables alike", async () => {
    const query = `query Q($id: ID!, $withNotes: Boolean!, $skipHealth: Boolean!) {
      person: subject(id: $id) {
        ...Who
        ... on Subject { care: socialCare { open: openCase notes: caseNotes @include(if: $withNotes) { id } } }
        health @skip(if: $skipHealth) { mh: mentalHealth { openToServices svc: service } }
      }
    }
    fragment Who on Subject { name { given } home: address { postcode } }`;
    const { body } = await system.query<Record<string, unknown>>(
      query,
      { id: "S-1002", withNotes: true, skipHealth: false },
      { as: "pc.jones", enquiry: "ENQ-2001" },
    );
    expect(body.data).toEqual({
      person: {
        name: { given: "Jade" },
        home: { postcode: "PR1 4XY" },
        care: { open: null, notes: null },
        health: { mh: null },
      },
    });
    expect(errorsAt(body).sort()).toEqual(["person.care.notes", "person.health.mh"]);
    const skipped = await system.query(
      query,
      { id: "S-1002", withNotes: false, skipHealth: true },
      { as: "pc.jones", enquiry: "ENQ-2001" },
    );
    expect(skipped.body.errors).toBeUndefined();
  });

  it("decides per person in a list: the stated enquiry covers only the people it links", async () => {
    const { body } = await system.query<{ subjects: { id: string; address: unknown }[] }>(
      '{ subjects(ids: ["S-1001", "S-1007", "S-1002"]) { id address { postcode } } }',
      {},
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    expect(body.data?.subjects.map((s) => [s.id, s.address !== null])).toEqual([
      ["S-1001", true],
      ["S-1007", false],
      ["S-1002", true],
    ]);
    expect(errorsAt(body)).toEqual(["subjects.1.address"]);
  });

  it("follows nested entities: a household member's sections use that member's own link", async () => {
    const { body } = await system.query<{
      subject: { household: { id: string; health: { gpPractice: unknown } }[] };
    }>(
      '{ subject(id: "S-1001") { household { id health { gpPractice { name } } } } }',
      {},
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.subject.household.map((m) => m.id)).toEqual(["S-1002", "S-1003"]);
    expect(body.data?.subject.household[0]?.health.gpPractice).toEqual({
      name: "Larch Medical Centre",
    });
  });

  it("propagates a withheld non-null field's null to its nullable parent", async () => {
    const { body } = await system.query(
      '{ subjects(ids: ["S-1001"]) { id } }',
      {},
      { as: "ig.health" },
    );
    expect(body.data).toBeNull();
    expect(errorsAt(body)).toEqual(["subjects"]);
  });

  it("answers __typename wherever the object itself is visible", async () => {
    const { body } = await system.query(
      '{ subject(id: "S-1001") { __typename police { __typename known } } }',
      {},
      { as: "dsl.murphy" },
    );
    expect(body).toEqual({
      data: {
        subject: { __typename: "Subject", police: { __typename: "PoliceSection", known: false } },
      },
    });
  });

  it("never shares a plan between authorization contexts", async () => {
    const query =
      '{ subject(id: "S-1002") { health { unscheduledCare { id } mentalHealth { service } } } }';
    const nurse = await system.query(query, {}, { as: "nurse.evans", enquiry: "ENQ-2001" });
    expect(nurse.body.errors).toBeUndefined();
    system.subgraphRequests.length = 0;
    const police = await system.query(query, {}, { as: "pc.jones", enquiry: "ENQ-2001" });
    expect(errorsAt(police.body).sort()).toEqual([
      "subject.health.mentalHealth",
      "subject.health.unscheduledCare",
    ]);
    const asked = fieldsAsked(system, "health");
    expect(asked.has("unscheduledCare")).toBe(false);
    expect(asked.has("service")).toBe(false);
    system.subgraphRequests.length = 0;
    const again = await system.query(query, {}, { as: "nurse.evans", enquiry: "ENQ-2001" });
    expect(again.body).toEqual(nurse.body);
    expect(fieldsAsked(system, "health").has("service")).toBe(true);
  });

  it("refuses aliases reserved for the gateway's own helper fields", async () => {
    const { body } = await system.query(
      '{ subject(id: "S-1001") { _authz_id: name { given } } }',
      {},
      { as: "sw.patel" },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.data ?? null).toBeNull();
  });

  it("refuses an unknown enquiry and a short break-glass reason with 400 and no data", async () => {
    const unknown = await system.query(
      '{ subject(id: "S-1001") { name { given } } }',
      {},
      { as: "sw.patel", enquiry: "ENQ-404" },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.message).toMatch(/Unknown enquiry ENQ-404/);
    expect(unknown.body.data).toBeUndefined();
    const short = await system.query(
      '{ subject(id: "S-1005") { address { postcode } } }',
      {},
      { as: "mgr.okafor", enquiry: "ENQ-2002", breakGlass: "need it" },
    );
    expect(short.status).toBe(400);
    expect(short.body.errors?.[0]?.message).toMatch(/at least 20 characters/);
  });

  it("answers 401 with no data to a request without a valid token", async () => {
    const none = await system.query('{ subject(id: "S-1001") { name { given } } }');
    expect(none.status).toBe(401);
    expect(none.body.data).toBeUndefined();
    const forged = await system.query(
      '{ subject(id: "S-1001") { name { given } } }',
      {},
      { headers: { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." } },
    );
    expect(forged.status).toBe(401);
  });
});
