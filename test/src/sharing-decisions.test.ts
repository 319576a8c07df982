import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

const RECORD = `mutation Record($enquiryId: ID!, $decision: SharingDecisionKind!, $reason: String!) {
  recordSharingDecision(enquiryId: $enquiryId, decision: $decision, reason: $reason) {
    agency decision reason recordedBy recordedAt
  }
}`;

const DECISIONS = `query Decisions($id: ID!) {
  enquiry(id: $id) {
    id
    sharingDecisions { agency decision reason recordedBy recordedAt }
    sharingDecisionHistory { agency decision reason recordedBy recordedAt }
  }
}`;

interface Decision {
  agency: string;
  decision: string;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}
interface Decisions {
  enquiry: { id: string; sharingDecisions: Decision[]; sharingDecisionHistory: Decision[] };
}

describe("sharing decisions (golden rule 7) through the gateway", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 50 });
  });
  afterAll(() => system?.stop());

  const record = (as: string, decision: string, reason: string, enquiryId = "ENQ-2001") =>
    system.query<{ recordSharingDecision: Decision }>(
      RECORD,
      { enquiryId, decision, reason },
      { as, enquiry: "ENQ-2001" },
    );
  const decisions = async (as = "sw.patel") => {
    const { body } = await system.query<Decisions>(DECISIONS, { id: "ENQ-2001" }, { as });
    expect(body.errors).toBeUndefined();
    return body.data?.enquiry;
  };

  it("records, amends and shows one current decision per agency, keeping the history", async () => {
    const first = await record("sw.patel", "SHARE", "Relevant to Amelia's safety");
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.recordSharingDecision).toMatchObject({
      agency: "childrens-services",
      decision: "SHARE",
      reason: "Relevant to Amelia's safety",
      recordedBy: "sw.patel",
    });
    expect(first.body.data?.recordSharingDecision.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const amended = await record(
      "sw.patel",
      "SHARE_WITH_CONDITIONS",
      "Share with police only; not with the father",
    );
    expect(amended.body.errors).toBeUndefined();
    const police = await record(
      "pc.jones",
      "DO_NOT_SHARE",
      "Disclosure would prejudice a live investigation",
    );
    expect(police.body.errors).toBeUndefined();

    const enquiry = await decisions();
    expect(enquiry?.sharingDecisions).toEqual([
      {
        agency: "childrens-services",
        decision: "SHARE_WITH_CONDITIONS",
        reason: "Share with police only; not with the father",
        recordedBy: "sw.patel",
        recordedAt: expect.any(String),
      },
      {
        agency: "police",
        decision: "DO_NOT_SHARE",
        reason: "Disclosure would prejudice a live investigation",
        recordedBy: "pc.jones",
        recordedAt: expect.any(String),
      },
    ]);
    expect(enquiry?.sharingDecisionHistory.map((d) => [d.agency, d.decision])).toEqual([
      ["police", "DO_NOT_SHARE"],
      ["childrens-services", "SHARE_WITH_CONDITIONS"],
      ["childrens-services", "SHARE"],
    ]);
    // Another agency's practitioner sees the same decisions.
    expect(await decisions("nurse.evans")).toEqual(enquiry);
  });

  it("keeps the EnquiryWorkspace contract operation's shape", async () => {
    const { body } = await system.query<{ enquiry: Record<string, unknown> }>(
      projectOperation("EnquiryWorkspace"),
      { id: "ENQ-2001" },
      { as: "sw.patel" },
    );
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data?.enquiry ?? {}).sort()).toEqual(
      ["dueBy", "id", "openedAt", "rag", "reason", "status", "subjects"].sort(),
    );
  });

  it("refuses bad input, naming the argument, and changes nothing", async () => {
    const before = await decisions();
    const cases: [string, string, string, string][] = [
      ["SHARE", "Because", "ENQ-404404", "enquiryId"],
      ["SHARE", "Because", "ENQ-1999", "enquiryId"],
      ["SHARE", "   ", "ENQ-2001", "reason"],
    ];
    for (const [decision, reason, enquiryId, field] of cases) {
      const { body } = await record("sw.patel", decision, reason, enquiryId);
      expect(body.data?.recordSharingDecision ?? null, enquiryId).toBeNull();
      expect(body.errors?.[0]?.extensions, `${enquiryId} ${reason}`).toMatchObject({
        code: "BAD_USER_INPUT",
        field,
      });
    }
    const unknownKind = await record("sw.patel", "MAYBE", "Because");
    expect(unknownKind.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await decisions()).toEqual(before);
  });

  it("withholds recording from a governance officer, and nothing is written", async () => {
    const before = await decisions();
    const { body } = await system.query(
      RECORD,
      { enquiryId: "ENQ-2001", decision: "SHARE", reason: "Not mine to record" },
      { as: "ig.police" },
    );
    expect(body.data?.recordSharingDecision ?? null).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      path: ["recordSharingDecision"],
      extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE", owner: "mash" },
    });
    expect(await decisions()).toEqual(before);
  });
});
