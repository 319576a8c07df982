import { join } from "node:path";
import type { AuditRecord } from "@mash/gateway";
import { openAuditStore } from "@mash/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./system.ts";

type Field = {
  path: string;
  field: string;
  owner: string;
  visible: boolean;
  rule: string | null;
  masked: string | null;
};
type Sim = { problems: { message: string }[]; inEnquiry: boolean; fields: Field[] };

describe("simulation: as a role, with an enquiry, on a subject", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const simulate = async (as: string, input: Record<string, unknown>) => {
    const response = await fetch(system.gatewayUrl.replace(/\/graphql$/, "/governance/graphql"), {
      method: "POST",
      headers: { "content-type": "application/json", ...(await system.headersFor({ as })) },
      body: JSON.stringify({
        query: `query S($input: SimulationInput!) { simulate(input: $input) {
          problems { message } inEnquiry fields { path field owner visible rule masked } } }`,
        variables: { input },
      }),
    });
    return (await response.json()) as {
      data?: { simulate: Sim };
      errors?: { message: string; extensions?: { code?: string } }[];
    };
  };

  it("shows which fields a nurse would see and which rule withholds the rest, never a value", async () => {
    const { data, errors } = await simulate("ig.police", {
      role: "health_safeguarding_nurse",
      subjectId: "S-1003",
      enquiryId: "ENQ-2001",
    });
    expect(errors).toBeUndefined();
    const sim = data?.simulate as Sim;
    expect(sim.inEnquiry).toBe(true);
    const incident = sim.fields.filter((f) => f.field.startsWith("PoliceIncident."));
    expect(incident.length).toBeGreaterThan(0);
    expect(incident.find((f) => f.field === "PoliceIncident.category")).toMatchObject({
      visible: true,
      masked: "•••",
    });
    const summary = incident.find((f) => f.field === "PoliceIncident.summary");
    expect(summary).toMatchObject({ visible: false, masked: null, owner: "police" });
    expect(summary?.rule).toBeTruthy();
    // Values never leave: the person's real name is nowhere in the answer.
    const real = await system.query<{ subject: { name: { family: string } } }>(
      'query { subject(id: "S-1003") { name { family } } }',
      {},
      { as: "pc.jones" },
    );
    const family = real.body.data?.subject.name.family as string;
    expect(family.length).toBeGreaterThan(0);
    expect(JSON.stringify(sim)).not.toContain(family);
    // Outside the enquiry, the same nurse would not see incidents at all.
    const outside = (
      await simulate("ig.police", { role: "health_safeguarding_nurse", subjectId: "S-1003" })
    ).data?.simulate as Sim;
    expect(outside.inEnquiry).toBe(false);
    expect(outside.fields.find((f) => f.field === "PoliceSection.incidents")).toMatchObject({
      visible: false,
    });
  });

  it("is recorded as the officer's governance request and reports bad input", async () => {
    const bad = await simulate("ig.police", { role: "wizard", subjectId: "S-1003" });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const unknown = await simulate("ig.police", {
      role: "social_worker",
      subjectId: "S-1003",
      enquiryId: "ENQ-9999",
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const log = await openAuditStore({
      kind: "sqlite",
      file: join(system.identity.dataDir, "audit.sqlite"),
    });
    try {
      const records = (await log.rows()).map((r) => JSON.parse(r.body) as AuditRecord);
      const sims = records.filter((r) => r.governance?.action === "query:simulate");
      expect(sims.length).toBeGreaterThanOrEqual(3);
      expect(sims.every((r) => r.userId === "ig.police" && r.governance?.agency === "police")).toBe(
        true,
      );
      // The internal run itself is not a practitioner's access: no record claims it.
      expect(records.some((r) => r.userId === "(simulation)")).toBe(false);
    } finally {
      await log.close();
    }
  });
});
