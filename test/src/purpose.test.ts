import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./system.ts";

// Purpose is earned: an enquiry's purpose is for the agencies taking part (the lead, and each
// agency asked and not released), and a close or a release ends it at once on the gateway that
// carried it, not after the purpose cache's lifetime.

const READ = "query($id: ID!) { subject(id: $id) { id address { postcode } } }";
const OPEN = `mutation($input: OpenEnquiryInput!) { openEnquiry(input: $input) { id lead research { agency releasedAt } } }`;
const RELEASE = `mutation($id: ID!, $agency: String!, $reason: String!) {
  releaseResearch(enquiryId: $id, agency: $agency, reason: $reason) { id research { agency releasedAt } } }`;
const CLOSE = `mutation($id: ID!) {
  closeEnquiry(id: $id, outcome: NO_FURTHER_ACTION, reason: "Explained by a fall at nursery") { id status } }`;
const SUBJECT = "S-1004";

describe("purpose for the agencies taking part", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 50 });
  });
  afterAll(() => system?.stop());

  /** Whether `as`, stating the enquiry, reads the person's address (an in-enquiry field). */
  const readsAddress = async (as: string, enquiry: string) => {
    const { status, body } = await system.query<{ subject: { address: unknown } }>(
      READ,
      { id: SUBJECT },
      { as, enquiry },
    );
    expect(status).toBe(200);
    const withheld = (body.errors ?? []).filter((e) => e.path?.join(".") === "subject.address");
    expect(withheld.every((e) => e.extensions?.code === "UNAUTHORIZED_FIELD_OR_TYPE")).toBe(true);
    return body.data?.subject.address !== null && withheld.length === 0;
  };

  const open = async () => {
    const { body } = await system.query<{
      openEnquiry: { id: string; lead: string; research: { agency: string }[] };
    }>(
      OPEN,
      {
        input: {
          reason: "Nursery reports bruising on both arms",
          rag: "RED",
          subjectIds: [SUBJECT],
          ask: ["health"],
        },
      },
      { as: "mgr.okafor" },
    );
    expect(body.errors).toBeUndefined();
    const opened = body.data?.openEnquiry;
    expect(opened?.lead).toBe("childrens-services");
    expect(opened?.research.map((r) => r.agency)).toEqual(["health"]);
    return opened?.id as string;
  };

  it("grants the lead and the asked agency, and nobody else", async () => {
    const id = await open();
    expect(await readsAddress("sw.patel", id)).toBe(true);
    expect(await readsAddress("nurse.evans", id)).toBe(true);
    expect(await readsAddress("dsl.murphy", id)).toBe(false);
    expect(await readsAddress("pc.jones", id)).toBe(false);
  });

  it("ends an agency's purpose the moment the lead releases it", async () => {
    const id = await open();
    expect(await readsAddress("nurse.evans", id)).toBe(true);
    const released = await system.query(
      RELEASE,
      { id, agency: "health", reason: "Health holds nothing relevant to this concern" },
      { as: "mgr.okafor" },
    );
    expect(released.body.errors).toBeUndefined();
    // No wait: the gateway that carried the release forgot the purpose before it answered.
    expect(await readsAddress("nurse.evans", id)).toBe(false);
    expect(await readsAddress("sw.patel", id)).toBe(true);
  });

  it("ends every agency's purpose the moment the enquiry closes", async () => {
    const id = await open();
    expect(await readsAddress("nurse.evans", id)).toBe(true);
    const closed = await system.query<{ closeEnquiry: { status: string } }>(
      CLOSE,
      { id },
      { as: "mgr.okafor" },
    );
    expect(closed.body.data?.closeEnquiry.status).toBe("CLOSED");
    expect(await readsAddress("nurse.evans", id)).toBe(false);
    expect(await readsAddress("sw.patel", id)).toBe(false);
  });

  it.each(["pc.jones", "nurse.evans", "dsl.murphy", "po.khan"])(
    "%s, of an agency that leads no enquiries, cannot open one, and nothing is stored",
    async (as) => {
      const before = await system.query<{ enquiries: { id: string }[] }>(
        "{ enquiries(first: 100) { id } }",
        {},
        { as: "mgr.okafor" },
      );
      const { body } = await system.query(
        OPEN,
        {
          input: {
            reason: "Concern raised at the front desk today",
            rag: "AMBER",
            subjectIds: [SUBJECT],
          },
        },
        { as },
      );
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.path).toEqual(["openEnquiry"]);
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: "UNAUTHORIZED_FIELD_OR_TYPE",
        owner: "mash",
      });
      const after = await system.query<{ enquiries: { id: string }[] }>(
        "{ enquiries(first: 100) { id } }",
        {},
        { as: "mgr.okafor" },
      );
      expect(after.body.data?.enquiries).toEqual(before.body.data?.enquiries);
    },
  );
});
