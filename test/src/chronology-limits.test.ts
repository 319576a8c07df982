import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultQueryLimits } from "../../gateway/src/limits/query-limits-config.ts";
import { CHRONOLOGY } from "./chronology-system.ts";
import { startSystem, type TestSystem } from "./system.ts";

/**
 * The query limits measure a chronology as the lists it is expanded into, not as one unknown
 * field: the gateway answers it, so the schema the limits read must be the one it serves.
 * With the default list size (10), the chronology query below costs about 230; counted against
 * the schema without the field it would cost under 30. A bound between the two tells them apart.
 */
const BOUND = 120;

describe("query limits on Subject.chronology", () => {
  let sys: TestSystem;
  beforeAll(async () => {
    const limits = { ...defaultQueryLimits, maxTokens: 5000, maxCost: BOUND };
    sys = await startSystem({ subjects: 20, gateway: { limits } });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it("counts the chronology's entries and items against the cost limit", async () => {
    const who = { as: "mgr.okafor", enquiry: "ENQ-2001" };
    const refused = await sys.query(CHRONOLOGY, { id: "S-1001" }, who);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      limit: "cost",
    });
    // The same person without the chronology is well within the bound.
    const plain = await sys.query(
      "query($id: ID!) { subject(id: $id) { id name { given } } }",
      {
        id: "S-1001",
      },
      who,
    );
    expect(plain.status).toBe(200);
    expect(plain.body.errors).toBeUndefined();
  });
});
