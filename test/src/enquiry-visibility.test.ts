import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures } from "../../subgraphs/kit/src/population/fixtures.ts";
import { type GraphQLBody, startSystem, type TestSystem } from "./system.ts";

// An enquiry's details (reason, people, contacts, research, decisions) are for the agencies
// taking part in it: its lead, and each agency asked to research and not released. Any other
// practitioner sees that it exists, whether it is open, and that their agency takes no part;
// a governance officer sees none of it. The hub says whether the caller's agency takes part
// (Enquiry.takesPart); the agreement (policies/mash.yaml) does the rest.

// The project's copy of the golden fixtures, as the hub seeds them (contract-copy.test.ts keeps
// it equal to the contract), so this suite runs in a clone on its own too.
const fixtures = loadFixtures();
const WITHHELD = "UNAUTHORIZED_FIELD_OR_TYPE";
const BASICS = "query($id: ID!) { enquiry(id: $id) { id status takesPart } }";
const REASON = "query($id: ID!) { enquiry(id: $id) { id status takesPart reason } }";
const OPEN = `mutation($input: OpenEnquiryInput!) { openEnquiry(input: $input) { id } }`;

type Enquiry = { id: string; status: string; takesPart: boolean; reason?: string };
const paths = (body: GraphQLBody<unknown>) =>
  (body.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code]);

describe("who sees an enquiry's details", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(() => system?.stop());

  const read = (query: string, id: string, as: string) =>
    system.query<{ enquiry: Enquiry | null }>(query, { id }, { as }).then((r) => r.body);
  const golden = (id: string) => fixtures.enquiries.find((e) => e.id === id);

  it.each([
    ["an asked agency", "pc.jones", "ENQ-2002"],
    ["the lead agency", "sw.patel", "ENQ-2002"],
    ["the lead agency of an adult enquiry", "asw.brown", "ENQ-2003"],
    ["an agency asked in an adult enquiry", "nurse.evans", "ENQ-2003"],
  ])("%s (%s) reads %s's reason", async (_who, as, id) => {
    expect(await read(REASON, id, as)).toEqual({
      data: { enquiry: { id, status: "OPEN", takesPart: true, reason: golden(id)?.reason } },
    });
  });

  it.each([
    ["an agency not asked", "po.khan", "ENQ-2002"],
    ["children's social care, in an enquiry adult social care leads", "sw.patel", "ENQ-2003"],
    ["the MASH manager, in an enquiry adult social care leads", "mgr.okafor", "ENQ-2003"],
    ["education, asked in another enquiry only", "dsl.murphy", "ENQ-2003"],
  ])("%s (%s) sees only that %s exists", async (_who, as, id) => {
    expect(await read(BASICS, id, as)).toEqual({
      data: { enquiry: { id, status: "OPEN", takesPart: false } },
    });
    const withheld = await read(REASON, id, as);
    // A detail is nullable: withheld, it nulls only itself, and says so at its own path.
    expect(withheld.data).toEqual({
      enquiry: { id, status: "OPEN", takesPart: false, reason: null },
    });
    expect(paths(withheld)).toEqual([["enquiry.reason", WITHHELD]]);
    expect(withheld.errors?.[0]?.extensions).toMatchObject({ rule: "default-deny", owner: "mash" });
  });

  it("lists every enquiry to a practitioner, saying which ones their agency takes part in", async () => {
    const { body } = await system.query<{ enquiries: Enquiry[] }>(
      "{ enquiries(status: OPEN, first: 500) { id takesPart } }",
      {},
      { as: "po.khan" },
    );
    expect(body.errors).toBeUndefined();
    const takesPart = Object.fromEntries(
      (body.data?.enquiries ?? []).map((e) => [e.id, e.takesPart]),
    );
    // Probation is asked in ENQ-2001 only.
    expect(takesPart).toMatchObject({ "ENQ-2001": true, "ENQ-2002": false, "ENQ-2003": false });
  });

  it("withholds the same way whatever the reason says (differential)", async () => {
    const opened: string[] = [];
    for (const reason of [
      "Nursery reports bruising on both arms",
      "A neighbour heard shouting and a child crying late at night, three nights running",
    ]) {
      const { body } = await system.query<{ openEnquiry: { id: string } }>(
        OPEN,
        { input: { reason, rag: "AMBER", subjectIds: ["S-1007"], ask: ["health"] } },
        { as: "sw.patel" },
      );
      expect(body.errors).toBeUndefined();
      opened.push(body.data?.openEnquiry.id as string);
    }
    const wide = `query($id: ID!) { enquiry(id: $id) {
      id status takesPart lead reason subjects { id } research { agency } timeline { step } } }`;
    for (const query of [REASON, wide, "query($id: ID!) { enquiry(id: $id) { id lead } }"]) {
      const [one, two] = await Promise.all(
        opened.map(async (id) =>
          JSON.stringify(await read(query, id, "po.khan"))
            .split(id)
            .join("ID"),
        ),
      );
      expect(one).toBe(two);
      expect(one).toContain(WITHHELD);
    }
    // The asked agency reads each reason, so the two do differ for those who take part.
    const asked = await Promise.all(opened.map((id) => read(REASON, id, "nurse.evans")));
    expect(asked[0]?.data?.enquiry?.reason).not.toBe(asked[1]?.data?.enquiry?.reason);
  });

  it("gives a governance officer none of it, not even that an enquiry exists", async () => {
    for (const query of [BASICS, "{ enquiries { id } }"]) {
      const { body } = await system.query(query, { id: "ENQ-2001" }, { as: "ig.police" });
      expect(body.data ?? null).toEqual(query === BASICS ? { enquiry: null } : null);
      expect(body.errors?.[0]?.extensions?.code).toBe(WITHHELD);
      expect(body.errors?.[0]?.extensions?.reason).toMatch(
        /^The sharing agreement gives Query\.enquir(y|ies) only to police_mash_officer, .*adult_social_worker\.$/,
      );
    }
  });

  it("shows an asked agency the concern of the enquiry's contacts, and the referrer only to front doors", async () => {
    const recorded = await system.query<{
      recordContact: { id: string; concern: string; referrer: unknown };
    }>(
      `mutation($input: RecordContactInput!) { recordContact(input: $input) { id concern referrer { name } } }`,
      {
        input: {
          referrer: { kind: "PUBLIC", name: "A neighbour", howToReach: "07700 900123" },
          concern: "Leo seen out alone late at night",
          consentSought: false,
          consentReason: "The referrer asked not to be named to the family",
          subjectIds: ["S-1007"],
        },
      },
      { as: "pc.jones" },
    );
    const contact = recorded.body.data?.recordContact.id as string;
    expect(contact).toEqual(expect.any(String));
    // The recorder gets the contact back; only who referred is withheld, at its own path.
    expect(recorded.body.data?.recordContact).toEqual({
      id: contact,
      concern: "Leo seen out alone late at night",
      referrer: null,
    });
    expect(paths(recorded.body)).toEqual([["recordContact.referrer", WITHHELD]]);
    const { body } = await system.query<{ openEnquiry: { id: string } }>(
      OPEN,
      {
        input: {
          reason: "Leo seen out alone late at night",
          rag: "GREEN",
          contactIds: [contact],
          ask: ["health"],
        },
      },
      { as: "sw.patel" },
    );
    const id = body.data?.openEnquiry.id as string;
    const concern = "query($id: ID!) { enquiry(id: $id) { contacts { id concern } } }";
    expect((await read(concern, id, "nurse.evans")).data).toEqual({
      enquiry: { contacts: [{ id: contact, concern: "Leo seen out alone late at night" }] },
    });
    const referrer = await read(
      "query($id: ID!) { enquiry(id: $id) { contacts { referrer { name } } } }",
      id,
      "nurse.evans",
    );
    expect(paths(referrer)).toEqual([["enquiry.contacts.0.referrer", WITHHELD]]);
    expect(referrer.errors?.[0]?.extensions?.reason).toBe(
      "The sharing agreement gives Contact.referrer only to social_worker, mash_manager and adult_social_worker.",
    );
    // A front door sees the referrer, through the contact itself.
    const front = await system.query<{ contact: { referrer: { name: string } } }>(
      "query($id: ID!) { contact(id: $id) { referrer { name howToReach } } }",
      { id: contact },
      { as: "sw.patel" },
    );
    expect(front.body).toEqual({
      data: { contact: { referrer: { name: "A neighbour", howToReach: "07700 900123" } } },
    });
    // Not taking part, a front door reaches the enquiry from the contact but not its details.
    expect((await read(concern, id, "asw.brown")).errors?.[0]?.path).toEqual([
      "enquiry",
      "contacts",
    ]);
  });
});
