import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { contractOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

/**
 * Through the whole system: a withheld field's error names the owning agency's contact point
 * (roles.yaml's `contact`), beside code, rule, reason and owner, so the practitioner refused
 * knows whom to ask.
 */

interface RolesFile {
  agencies: Record<string, { contact?: { name: string; phone?: string; email?: string } }>;
}
const roles = parseYaml(
  readFileSync(new URL("../../policies/roles.yaml", import.meta.url), "utf8"),
) as RolesFile;
const contactOf = (agency: string) => ({ agency, ...roles.agencies[agency]?.contact });

interface Withheld {
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

describe("the contact point on withheld fields", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 50 });
  });
  afterAll(() => system?.stop());

  it("names health's contact on S-1001's mental health service, withheld from sw.patel in ENQ-2001", async () => {
    const { status, body } = await system.query(
      contractOperation("SubjectOverview"),
      { id: "S-1001" },
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    expect(status).toBe(200);
    const error = (body.errors as Withheld[] | undefined)?.find(
      (e) => e.path?.join(".") === "subject.health.mentalHealth.service",
    );
    expect(error?.extensions).toEqual({
      code: "UNAUTHORIZED_FIELD_OR_TYPE",
      rule: "health-mental-health-service",
      reason: "Mental health detail stays with health; ask the health safeguarding nurse.",
      owner: "health",
      contact: {
        agency: "health",
        name: "Health safeguarding nurse (MASH)",
        phone: "01632 960003",
        email: "mash.health@example.invalid",
      },
    });
  });

  it("names the owner's contact on every withheld field of a list, whoever owns it", async () => {
    // Forty people, a few of them in the enquiry: withheld fields of several owners.
    const ids = Array.from({ length: 40 }, (_, i) => `S-${1001 + i}`);
    const { body } = await system.query(
      `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth
        address { postcode } police { known incidents { id category } } socialCare { known openCase }
        health { known gpPractice { name } mentalHealth { service } } education { known attendancePercent }
        probation { known mappaLevel } adultSocialCare { known } } }`,
      { ids },
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    const errors = (body.errors ?? []) as Withheld[];
    const owners = new Set<string>();
    for (const error of errors) {
      expect(error.extensions?.code, JSON.stringify(error)).toBe("UNAUTHORIZED_FIELD_OR_TYPE");
      const owner = String(error.extensions?.owner);
      owners.add(owner);
      expect(error.extensions?.contact, error.path?.join(".")).toEqual(contactOf(owner));
    }
    expect(errors.length).toBeGreaterThan(20);
    expect(owners.size).toBeGreaterThanOrEqual(2);
  });
});
