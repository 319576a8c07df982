import { readFileSync } from "node:fs";
import { ConfigError } from "@mash/kit";
import { describe, expect, it } from "vitest";
import { Authority } from "../authz/ability.ts";
import { createJudge } from "../authz/judge.ts";
import { defaultPoliciesDir, loadPolicyTexts, readPolicyDir } from "../authz/policy/load.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { affectedCount, affectedSubjects, impact } from "./impact.ts";
import { accessOf, agencyMatrix } from "./matrix.ts";
import { DEFAULT_IMPACT_MIN_COUNT, impactMinCount } from "./policy-config.ts";
import { agencyTextOf, withAgencyText } from "./policy-texts.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const { files } = readPolicyDir(defaultPoliciesDir);
const live = new Authority(loadPolicyTexts({ files, supergraphSdl }).policy as PolicySet);
const police = agencyTextOf(files, "police") as string;

/** The live policy with the police file edited by text replacement. */
function candidate(from: string, to: string): Authority {
  expect(police).toContain(from);
  const loaded = loadPolicyTexts({
    files: withAgencyText(files, "police", police.replace(from, to)),
    supergraphSdl,
  });
  expect(loaded.problems).toEqual([]);
  return new Authority(loaded.policy as PolicySet);
}

describe("sharing matrix", () => {
  it("reads each cell from the abilities enforcement uses", () => {
    const matrix = agencyMatrix(live, "police");
    const row = matrix.rows.find((r) => r.field === "Intelligence.summary");
    const cell = (role: string) => row?.cells.find((c) => c.role === role);
    expect(cell("police_mash_officer")).toMatchObject({
      outside: "ALLOWED",
      inEnquiry: "ALLOWED",
      breakGlass: "ALLOWED",
      condition: null,
    });
    expect(cell("social_worker")).toMatchObject({
      outside: "DENIED",
      inEnquiry: "CONDITIONAL",
      condition: 'handlingCode = "P"',
      rules: expect.arrayContaining(["police-intelligence-handling-p"]),
    });
    expect(cell("governance_officer")).toMatchObject({
      outside: "DENIED",
      inEnquiry: "DENIED",
      breakGlass: "DENIED",
    });
    // Only the police's own fields.
    expect(matrix.rows.every((r) => live.policy.owners.get(r.field) === "police")).toBe(true);
    expect(matrix.rows.map((r) => r.field)).toContain("Subject.police");
  });

  it("never disagrees with the judge on unconditional fields", () => {
    // Every agency takes part, so "in enquiry" is what the matrix's in-enquiry column assumes.
    const agencies = new Set(live.policy.agencies.keys());
    const enquiry = { id: "E", open: true, subjects: new Set(["S-1"]), participants: agencies };
    for (const role of live.policy.roles.keys()) {
      for (const field of agencyMatrix(live, "police").rows.map((r) => r.field)) {
        const entry = accessOf(live, role, field, "inEnquiry");
        if (entry.access === "CONDITIONAL") continue;
        const [type, name] = field.split(".") as [string, string];
        const agency = live.policy.roles.get(role)?.agency;
        const judge = createJudge(live, { roles: [role], agency, enquiry, breakGlass: false });
        const allowed = (() => {
          try {
            judge.check(type, name, {}, "S-1");
            return true;
          } catch {
            return false;
          }
        })();
        expect(allowed, `${role} ${field}`).toBe(entry.access === "ALLOWED");
      }
    }
  });
});

describe("impact of a change", () => {
  it("reports exactly what the nurse loses when the incident-facts rule drops the nurse", async () => {
    const next = candidate(
      "    roles: [health_safeguarding_nurse]\n    requires: { enquiry: true }",
      "    roles: [social_worker]\n    requires: { enquiry: true }",
    );
    const { changes, changedTypes } = impact(live, next, "police");
    const fields = [
      "PoliceSection.incidents",
      "PoliceIncident.id",
      "PoliceIncident.occurredAt",
      "PoliceIncident.category",
      "PoliceIncident.childPresent",
    ];
    // The social worker already had all of these in an enquiry: no gain for them. The nurse may
    // not break the glass, so only the in-enquiry access changes.
    const expected = fields.flatMap((field) =>
      (["inEnquiry"] as const).map((purpose) => ({
        role: "health_safeguarding_nurse",
        field,
        purpose,
        before: "ALLOWED",
        after: "DENIED",
        beforeCondition: null,
        afterCondition: null,
        change: "LOSS",
      })),
    );
    expect(changes).toHaveLength(expected.length);
    expect(changes).toEqual(expect.arrayContaining(expected));
    expect(changedTypes.sort()).toEqual(["PoliceIncident", "PoliceSection"]);
    expect(
      await affectedSubjects(changedTypes, async () => ({ PoliceIncident: 7, PoliceSection: 9 })),
    ).toEqual(
      expect.arrayContaining([
        { type: "PoliceIncident", subjects: 7, fewerThan: null },
        { type: "PoliceSection", subjects: 9, fewerThan: null },
      ]),
    );
    expect(await affectedSubjects(changedTypes)).toEqual([]);
  });

  it("reports a changed condition as CONDITION_CHANGED", () => {
    const next = candidate("conditions: { handlingCode: P }", "conditions: { handlingCode: C }");
    const { changes } = impact(live, next, "police");
    const summary = changes.find(
      (c) =>
        c.role === "social_worker" &&
        c.field === "Intelligence.summary" &&
        c.purpose === "inEnquiry",
    );
    expect(summary).toMatchObject({
      change: "CONDITION_CHANGED",
      beforeCondition: 'handlingCode = "P"',
    });
    expect(impact(live, live, "police").changes).toEqual([]);
  });
});

describe("subject counts under the threshold", () => {
  it.each([
    [0, 5, { subjects: null, fewerThan: 5 }],
    [1, 5, { subjects: null, fewerThan: 5 }],
    [4, 5, { subjects: null, fewerThan: 5 }],
    [5, 5, { subjects: 5, fewerThan: null }],
    [1234, 5, { subjects: 1234, fewerThan: null }],
    [9, 10, { subjects: null, fewerThan: 10 }],
    [0, 1, { subjects: null, fewerThan: 1 }],
    [1, 1, { subjects: 1, fewerThan: null }],
  ])("%i subjects with threshold %i", (count, min, shown) => {
    expect(affectedCount("PoliceIncident", count, min)).toEqual({
      type: "PoliceIncident",
      ...shown,
    });
  });

  it("applies the threshold (default 5) to every changed type, a type nobody holds as 0", async () => {
    const counts = async () => ({ PoliceIncident: 3, PoliceSection: 40 });
    expect(
      await affectedSubjects(["PoliceIncident", "PoliceSection", "Intelligence"], counts),
    ).toEqual([
      { type: "PoliceIncident", subjects: null, fewerThan: 5 },
      { type: "PoliceSection", subjects: 40, fewerThan: null },
      { type: "Intelligence", subjects: null, fewerThan: 5 },
    ]);
    expect(await affectedSubjects(["PoliceSection"], counts, 50)).toEqual([
      { type: "PoliceSection", subjects: null, fewerThan: 50 },
    ]);
  });

  it("reads MASH_IMPACT_MIN_COUNT, naming it when it cannot work", () => {
    expect(impactMinCount({})).toBe(DEFAULT_IMPACT_MIN_COUNT);
    expect(DEFAULT_IMPACT_MIN_COUNT).toBe(5);
    expect(impactMinCount({ MASH_IMPACT_MIN_COUNT: "" })).toBe(5);
    expect(impactMinCount({ MASH_IMPACT_MIN_COUNT: "12" })).toBe(12);
    for (const bad of ["0", "-3", "2.5", "ten", "1e9"]) {
      expect(() => impactMinCount({ MASH_IMPACT_MIN_COUNT: bad }), bad).toThrow(ConfigError);
      expect(() => impactMinCount({ MASH_IMPACT_MIN_COUNT: bad })).toThrow(/MASH_IMPACT_MIN_COUNT/);
    }
  });
});
