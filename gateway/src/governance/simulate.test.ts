import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Authority } from "../authz/ability.ts";
import { defaultPoliciesDir, loadPolicies } from "../authz/policy/load.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { accessOf, PURPOSES } from "./matrix.ts";
import { conditionAttributes, readAttribute, recordSchemaOf } from "./record-attributes.ts";
import { agencyTypes, judgeRecord, SimulationInputError, simulateRecord } from "./simulate.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const policy = loadPolicies({ dir: defaultPoliciesDir, supergraphSdl }).policy as PolicySet;
const authority = new Authority(policy);
const schema = recordSchemaOf(supergraphSdl);

/** Every record a type's conditions can tell apart: each value of each condition field, and null. */
function records(type: string): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const kind of conditionAttributes(policy, schema, type)) {
    const values = kind.values.length ? kind.values.map((v) => readAttribute(kind, v)) : [null];
    out = out.flatMap((r) => [...values, null].map((v) => ({ ...r, [kind.field]: v })));
  }
  return out;
}

describe("judgeRecord: the gateway's judge on a hypothetical record", () => {
  it("agrees with the matrix on every field the matrix decides without a condition", () => {
    let judged = 0;
    for (const agency of policy.agencies.keys())
      for (const [type] of agencyTypes(policy, agency)) {
        if (!schema.isObjectType(type)) continue;
        for (const role of policy.roles.keys())
          for (const purpose of PURPOSES)
            for (const attributes of records(type)) {
              // judgeRecord itself throws if the judge and its ability ever disagree.
              const verdict = judgeRecord(authority, schema, agency, {
                roles: [role],
                purpose,
                type,
                attributes,
              });
              for (const field of verdict.fields) {
                judged++;
                const entry = accessOf(authority, role, field.field, purpose);
                // Root fields hang under no person: the matrix's enquiry columns do not reach them.
                if (entry.access === "CONDITIONAL" || schema.roots.has(type)) continue;
                expect(field.visible, `${role} ${purpose} ${field.field}`).toBe(
                  entry.access === "ALLOWED",
                );
              }
            }
      }
    expect(judged).toBeGreaterThan(5000);
  });

  it("judges fields of the root types outside any enquiry, as enforcement does", () => {
    const verdict = judgeRecord(authority, schema, "mash", {
      roles: ["health_safeguarding_nurse"],
      purpose: "inEnquiry",
      type: "Mutation",
      attributes: {},
    });
    expect(verdict.inEnquiry).toBe(false);
    const person = judgeRecord(authority, schema, "mash", {
      roles: ["health_safeguarding_nurse"],
      purpose: "inEnquiry",
      type: "Subject",
      attributes: { sealed: false },
    });
    expect(person.inEnquiry).toBe(true);
    expect(person.fields.find((f) => f.field === "Subject.address")?.visible).toBe(true);
  });

  it("names a sealed record's rule to everyone, since the requester can read sealed", () => {
    const verdict = judgeRecord(authority, schema, "mash", {
      roles: ["police_mash_officer"],
      purpose: "inEnquiry",
      type: "Subject",
      attributes: { sealed: true },
    });
    expect(verdict.fields.find((f) => f.field === "Subject.address")).toEqual({
      field: "Subject.address",
      visible: false,
      rule: "mash-sealed-record",
      toldRule: "mash-sealed-record",
      reason:
        "This record is sealed (adoption or a PDS S-flag); its address, NHS number and household are withheld.",
    });
    expect(verdict.listed).toBe(true);
  });

  it("checks a question before judging it", () => {
    const ask = (question: Partial<Parameters<typeof simulateRecord>[3]>) => () =>
      simulateRecord(authority, schema, "police", {
        roles: ["social_worker"],
        purpose: "outside",
        type: "Intelligence",
        attributes: {},
        ...question,
      });
    expect(ask({ roles: [] })).toThrow(SimulationInputError);
    expect(ask({ type: "Subjectish" })).toThrow(/is not a type with fields of police's/);
    expect(ask({ attributes: { handlingCode: 3 } })).toThrow(/3 is not a HandlingCode value/);
    expect(ask({ attributes: { handlingCode: null } })).not.toThrow();
  });

  it("reads a form's text as the field's kind", () => {
    const [handling] = conditionAttributes(policy, schema, "Intelligence");
    const [sealed] = conditionAttributes(policy, schema, "Subject");
    expect(handling && readAttribute(handling, "C")).toBe("C");
    expect(sealed && readAttribute(sealed, "true")).toBe(true);
    expect(sealed && readAttribute(sealed, null)).toBe(null);
    expect(() => sealed && readAttribute(sealed, "yes")).toThrow(/"yes" is not a Boolean value/);
  });
});
