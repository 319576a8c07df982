import { loadSettings, type Rag } from "@mash/mash/settings";
import { dueAt } from "@mash/mash/timescales";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractFixtures, contractOperation, sectionOf } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

const fixtures = contractFixtures();
/** The data-path suite reads as the MASH manager, who may also close enquiries. */
const manager = { as: "mgr.okafor" };
/** The hub's default timescales: what the system under test runs with. */
const { timescales } = loadSettings({});

/**
 * What a response must hold given a fixture: the fixture's values, and null (or an empty list)
 * for every field the fixture leaves out. Keys the fixture sets to null that the type does not
 * have are YAML artefacts, not fields (a flow mapping splits "Wrist injury, fall reported" at its
 * comma), and are ignored.
 */
function expectedFrom(actual: unknown, fixture: unknown): unknown {
  if (fixture === undefined || fixture === null) return Array.isArray(actual) ? [] : null;
  if (Array.isArray(fixture))
    return fixture.map((f, i) => expectedFrom((actual as unknown[] | null)?.[i], f));
  if (typeof fixture === "object") {
    const a = (actual ?? {}) as Record<string, unknown>;
    const f = fixture as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(a), ...Object.keys(f)])) {
      if (!(key in a) && f[key] === null) continue;
      out[key] = expectedFrom(a[key], f[key]);
    }
    return out;
  }
  return fixture;
}

function expectSection(
  actual: Record<string, unknown>,
  record: Record<string, unknown> | undefined,
  where: string,
) {
  expect(actual.known, `${where}.known`).toBe(record !== undefined);
  expect(actual, where).toEqual(expectedFrom(actual, { ...record, known: record !== undefined }));
}

describe("contract operations against the golden fixtures, through the gateway", () => {
  let system: TestSystem;
  // The data path, every field as the stores hold it, so one comparison covers every field.
  // What each role may see is tested against expectations.yaml and in the suite below.
  beforeAll(async () => {
    system = await startSystem({ authorization: "off" });
  });
  afterAll(() => system?.stop());

  it.each(fixtures.subjects.map((s) => [s.id, s] as const))(
    "SubjectOverview %s returns the fixture value by value",
    async (id, subject) => {
      const { status, body } = await system.query<{
        subject: Record<string, Record<string, unknown>>;
      }>(contractOperation("SubjectOverview"), { id }, manager);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const actual = body.data?.subject as Record<string, unknown>;
      expect(actual).toMatchObject({
        id,
        name: subject.name,
        dateOfBirth: subject.dateOfBirth,
        nhsNumber: subject.nhsNumber,
        address: subject.address,
        sealed: subject.sealed,
      });
      for (const [agency, section] of Object.entries(sectionOf)) {
        expectSection(
          actual[section] as Record<string, unknown>,
          fixtures.records[agency]?.[id],
          `${id}.${section}`,
        );
      }
    },
  );

  it("SubjectOverview of an unknown id is null, not an error", async () => {
    const { body } = await system.query(
      contractOperation("SubjectOverview"),
      { id: "S-0000" },
      manager,
    );
    expect(body).toEqual({ data: { subject: null } });
  });

  it.each(fixtures.enquiries.map((e) => [e.id, e] as const))(
    "EnquiryWorkspace %s returns the fixture",
    async (id, enquiry) => {
      const { body } = await system.query<{ enquiry: Record<string, unknown> }>(
        contractOperation("EnquiryWorkspace"),
        { id },
        manager,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data?.enquiry).toEqual({
        id,
        status: enquiry.status,
        rag: enquiry.rag,
        openedAt: enquiry.openedAt,
        // The default calendar's working hours, as the hub seeds them (RED runs through the night).
        dueBy: dueAt(timescales, enquiry.openedAt, enquiry.rag as Rag),
        reason: enquiry.reason,
        subjects: enquiry.subjects.map((sid) => {
          const s = fixtures.subjects.find((x) => x.id === sid);
          return { id: sid, name: s?.name, dateOfBirth: s?.dateOfBirth };
        }),
      });
    },
  );

  it("FindSubject ranks S-1001 first for Amelia Doe 2017-03-14 and shows every agency's flag", async () => {
    const { body } = await system.query<{
      searchSubjects: { score: number; subject: Record<string, unknown> }[];
    }>(
      contractOperation("FindSubject"),
      { name: "Amelia Doe", dateOfBirth: "2017-03-14" },
      manager,
    );
    expect(body.errors).toBeUndefined();
    const hits = body.data?.searchSubjects ?? [];
    expect(hits[0]?.score).toBe(1);
    const first = hits[0]?.subject ?? {};
    expect(first).toMatchObject({
      id: "S-1001",
      name: { given: "Amelia", family: "Doe" },
      dateOfBirth: "2017-03-14",
    });
    for (const [agency, section] of Object.entries(sectionOf)) {
      expect(first[section], section).toEqual({
        known: fixtures.records[agency]?.["S-1001"] !== undefined,
      });
    }
    const ids = hits.map((h) => h.subject.id);
    expect(ids.indexOf("S-1004")).toBeGreaterThan(0);
  });

  it("OpenEnquiry then CloseEnquiry: opens with dueBy from RAG, closes once, refuses again without change", async () => {
    const opened = await system.query<{
      openEnquiry: {
        id: string;
        status: string;
        rag: string;
        dueBy: string;
        subjects: { id: string }[];
      };
    }>(
      contractOperation("OpenEnquiry"),
      {
        input: {
          reason: "Health visitor concern about Leo",
          rag: "AMBER",
          subjectIds: ["S-1007"],
        },
      },
      manager,
    );
    expect(opened.body.errors).toBeUndefined();
    const e = opened.body.data?.openEnquiry;
    expect(e).toMatchObject({ status: "OPEN", rag: "AMBER", subjects: [{ id: "S-1007" }] });
    const workspace = await system.query<{ enquiry: { openedAt: string; dueBy: string } }>(
      contractOperation("EnquiryWorkspace"),
      { id: e?.id },
      manager,
    );
    const { openedAt, dueBy } = workspace.body.data?.enquiry ?? { openedAt: "", dueBy: "" };
    expect(dueBy).toBe(dueAt(timescales, openedAt, "AMBER"));
    expect(e?.dueBy).toBe(dueBy);

    const close = () =>
      system.query<{ closeEnquiry: { id: string; status: string } }>(
        contractOperation("CloseEnquiry"),
        {
          id: e?.id,
          outcome: "EARLY_HELP",
          reason: "Family agreed to early help",
        },
        manager,
      );
    expect((await close()).body).toEqual({
      data: { closeEnquiry: { id: e?.id, status: "CLOSED" } },
    });
    const again = await close();
    expect(again.body.data).toBeNull();
    expect(again.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(again.body.errors?.[0]?.message).toMatch(/already closed/);
  });

  it("OpenEnquiry with bad input names the problem and stores nothing", async () => {
    const count = async () =>
      (
        await system.query<{ enquiries: unknown[] }>(
          "{ enquiries(first: 500) { id } }",
          {},
          manager,
        )
      ).body.data?.enquiries.length;
    const before = await count();
    for (const [input, message] of [
      [{ reason: "", rag: "RED", subjectIds: ["S-1001"] }, /input.reason is empty/],
      [{ reason: "x", rag: "RED", subjectIds: ["S-1001"] }, /input.reason has 1 characters/],
      [
        { reason: "Bruising seen at nursery", rag: "RED", subjectIds: ["S-1001", "S-4040"] },
        /Unknown subject id: S-4040/,
      ],
      [
        { reason: "Bruising seen at nursery", rag: "RED", subjectIds: [] },
        /input.subjectIds is empty/,
      ],
    ] as const) {
      const { body } = await system.query(contractOperation("OpenEnquiry"), { input }, manager);
      expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(body.errors?.[0]?.message).toMatch(message);
    }
    expect(await count()).toBe(before);
  });
});

/** Who reads each agency's records as their own (the "own agency sees its own section" rules). */
const ownerRole: Record<string, string> = {
  police: "pc.jones",
  "childrens-services": "sw.patel",
  health: "nurse.evans",
  education: "dsl.murphy",
  probation: "po.khan",
  "adult-social-care": "asw.brown",
};

describe("with the sharing rules on, each agency sees its own golden records whole", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  const cases = Object.entries(fixtures.records).flatMap(([agency, bySubject]) =>
    Object.keys(bySubject).map((id) => [agency, id] as const),
  );
  it.each(cases)("%s reads %s without an enquiry", async (agency, id) => {
    const section = sectionOf[agency] as string;
    const { body } = await system.query<{ subject: Record<string, Record<string, unknown>> }>(
      contractOperation("SubjectOverview"),
      { id },
      { as: ownerRole[agency] },
    );
    expect((body.errors ?? []).filter((e) => e.path?.[1] === section)).toEqual([]);
    expectSection(
      body.data?.subject[section] as Record<string, unknown>,
      fixtures.records[agency]?.[id],
      `${id}.${section}`,
    );
  });

  it("only the decision maker closes an enquiry; a refused close changes nothing", async () => {
    const opened = await system.query<{ openEnquiry: { id: string } }>(
      contractOperation("OpenEnquiry"),
      { input: { reason: "Nursery reports bruising", rag: "RED", subjectIds: ["S-1004"] } },
      { as: "sw.patel" },
    );
    const id = opened.body.data?.openEnquiry.id;
    expect(id).toMatch(/^ENQ-\d+$/);
    const refused = await system.query(
      contractOperation("CloseEnquiry"),
      { id, outcome: "NO_FURTHER_ACTION", reason: "Explained by a fall" },
      { as: "sw.patel" },
    );
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHORIZED_FIELD_OR_TYPE",
      owner: "mash",
    });
    expect(refused.body.errors?.[0]?.path).toEqual(["closeEnquiry"]);
    const workspace = await system.query<{ enquiry: { status: string } }>(
      contractOperation("EnquiryWorkspace"),
      { id },
      { as: "sw.patel" },
    );
    expect(workspace.body.data?.enquiry.status).toBe("OPEN");
  });
});
