import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { supergraphFile } from "../../compose/schema-files.ts";
import { defaultPoliciesDir, loadPolicies } from "./load.ts";
import { formatProblem } from "./types.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mash-policies-"));
  cpSync(defaultPoliciesDir, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Edits one policy file by text replacement, failing the test if the text is not there. */
function edit(file: string, from: string, to: string) {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  expect(text, `${file} contains the text to replace`).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

const problems = () => loadPolicies({ dir, supergraphSdl }).problems.map(formatProblem);

describe("policy validation", () => {
  it("loads the shipped agreement with no problem", () => {
    const { policy, problems } = loadPolicies({ supergraphSdl });
    expect(problems).toEqual([]);
    expect(policy?.rules.length).toBeGreaterThan(20);
    expect(new Set(policy?.rules.map((r) => r.agency))).toEqual(new Set(policy?.agencies.keys()));
  });

  it.each([
    [
      "an unknown type",
      "police.yaml",
      "      PoliceIncident: [id, occurredAt, category, childPresent]",
      "      PoliceIncidnet: [id]",
      /police\.yaml:\d+ rule police-incident-facts-for-health: type "PoliceIncidnet" is not an object or interface type/,
    ],
    [
      "an unknown field",
      "police.yaml",
      "      PoliceIncident: [id, occurredAt, category, childPresent]",
      "      PoliceIncident: [id, occuredAt]",
      /police\.yaml:\d+ rule police-incident-facts-for-health: PoliceIncident has no field "occuredAt"/,
    ],
    [
      "an unknown role",
      "health.yaml",
      '    roles: [health_safeguarding_nurse]\n    fields:\n      HealthSection: "*"',
      '    roles: [health_nurse]\n    fields:\n      HealthSection: "*"',
      /health\.yaml:\d+ rule health-own-records: unknown role or group "health_nurse"/,
    ],
    [
      "another agency's data",
      "police.yaml",
      "      PoliceSection: [known]",
      "      PoliceSection: [known]\n      HealthSection: [gpPractice]",
      /police\.yaml:\d+ rule police-known-flag: HealthSection\.gpPractice belongs to health \(policies\/health\.yaml\)/,
    ],
    [
      "the hub's Subject fields",
      "education.yaml",
      "      Subject: [education]",
      "      Subject: [education, address]",
      /education\.yaml:\d+ rule education-known-flag: Subject\.address belongs to mash/,
    ],
    [
      "a compound condition",
      "police.yaml",
      "    conditions: { handlingCode: P }",
      "    conditions: { $or: [{ handlingCode: P }, { grading: A1 }] }",
      /police\.yaml:\d+ rule police-intelligence-handling-p: compound condition "\$or" is not supported/,
    ],
    [
      "an unknown operator",
      "police.yaml",
      "    conditions: { handlingCode: P }",
      "    conditions: { handlingCode: { $regex: P } }",
      /operator "\$regex" is not supported/,
    ],
    [
      "a condition on a missing field",
      "police.yaml",
      "    conditions: { handlingCode: P }",
      "    conditions: { code: P }",
      /rule police-intelligence-handling-p: Intelligence has no field "code" to test/,
    ],
    [
      "a value the enum does not have",
      "police.yaml",
      "    conditions: { handlingCode: P }",
      "    conditions: { handlingCode: X }",
      /"X" is not a HandlingCode value \(P, C\)/,
    ],
    [
      "conditions over two types",
      "mash.yaml",
      "      Subject: [address, nhsNumber]\n    legalBasis: DPA 2018 Sch. 1 para 18; break-glass",
      '      Subject: [address, nhsNumber]\n      Address: "*"\n    legalBasis: DPA 2018 Sch. 1 para 18; break-glass',
      /rule mash-sealed-break-glass: conditions apply to one type's objects/,
    ],
    [
      "a deny rule with no reason",
      "probation.yaml",
      "    reason: Offence history stays with probation; ask the probation officer.\n",
      "",
      /probation\.yaml:\d+ rule probation-offences: rules\.3 must have required property 'reason'/,
    ],
    [
      "a missing legal basis",
      "education.yaml",
      "    legalBasis: Owning agency\n",
      "",
      /education\.yaml:\d+ rule education-own-records: rules\.1 must have required property 'legalBasis'/,
    ],
    [
      "break glass for roles that may not",
      "mash.yaml",
      "    roles: [mash_manager]\n    requires: { enquiry: true, breakGlass: true }",
      "    roles: [social_worker]\n    requires: { enquiry: true, breakGlass: true }",
      /rule mash-sealed-break-glass: requires breakGlass, but none of its roles may break the glass/,
    ],
    [
      "a duplicate rule id",
      "health.yaml",
      "  - id: health-gp-practice",
      "  - id: health-own-records",
      /health\.yaml:\d+ rule health-own-records: the id is already used in health\.yaml/,
    ],
    [
      "a notification flag that is not a Boolean field",
      "roles.yaml",
      "  flag: sealed\n",
      "  flag: name\n",
      /roles\.yaml:\d+: scope flag Subject\.name is not a Boolean field of the supergraph/,
    ],
    [
      "broken YAML",
      "police.yaml",
      "agency: police\nrules:",
      "agency: police\nrules:\n  - id: [unclosed",
      /police\.yaml:\d+: is not valid YAML/,
    ],
    [
      "a misspelt key",
      "police.yaml",
      "    requires: { enquiry: true }\n    fields:\n      PoliceSection: [warningMarkers, incidents]",
      "    require: { enquiry: true }\n    fields:\n      PoliceSection: [warningMarkers, incidents]",
      /rule police-markers-and-incidents: rules\.2 must NOT have additional properties \("require"\)/,
    ],
  ])("names file, line and rule for %s", (_what, file, from, to, message) => {
    edit(file, from, to);
    const found = problems();
    expect(found.join("\n")).toMatch(message);
    expect(loadPolicies({ dir, supergraphSdl }).policy).toBeUndefined();
  });

  it("points at the line of the offending rule", () => {
    edit(
      "police.yaml",
      "      PoliceIncident: [id, occurredAt, category, childPresent]",
      "      PoliceIncident: [id, nope]",
    );
    const text = readFileSync(join(dir, "police.yaml"), "utf8").split("\n");
    const line = Number(/police\.yaml:(\d+)/.exec(problems()[0] ?? "")?.[1]);
    expect(text[line - 1]).toContain("PoliceIncident: [id, nope]");
  });

  it("checks roles.yaml: unknown agencies and group members", () => {
    edit(
      "roles.yaml",
      "  probation_officer: { agency: probation,",
      "  probation_officer: { agency: prison,",
    );
    edit("roles.yaml", "    - adult_social_worker\n", "    - adult_social_worker\n    - nobody\n");
    const found = problems().join("\n");
    expect(found).toMatch(
      /roles\.yaml:\d+: role "probation_officer" needs an agency from agencies/,
    );
    expect(found).toMatch(/roles\.yaml:\d+: group "practitioners" names unknown role "nobody"/);
  });

  it("refuses a second file for the same agency", () => {
    writeFileSync(join(dir, "police-extra.yaml"), "agency: police\nrules: []\n");
    const found = problems().join("\n");
    expect(found).toMatch(/police-extra\.yaml:1: the rules of "police" belong in police\.yaml/);
    expect(found).toMatch(/already holds the rules of "police"; one file per agency/);
  });
});

describe("search arguments (search is a read)", () => {
  it("loads what each argument of searchSubjects reads, an object read whole", () => {
    const { policy } = loadPolicies({ supergraphSdl });
    const search = policy?.searches.get("Query.searchSubjects");
    expect(search?.agency).toBe("mash");
    expect(Object.fromEntries(search?.arguments.map((a) => [a.name, a.reads]) ?? [])).toEqual({
      name: [
        { type: "Subject", fields: ["name"] },
        { type: "PersonName", fields: ["given", "family"] },
      ],
      dateOfBirth: [{ type: "Subject", fields: ["dateOfBirth"] }],
      nhsNumber: [{ type: "Subject", fields: ["nhsNumber"] }],
      postcode: [
        { type: "Subject", fields: ["address"] },
        { type: "Address", fields: ["postcode"] },
      ],
      first: [],
    });
  });

  it("refuses a search argument no one declared, at the search's line", () => {
    edit("mash.yaml", "    first: none\n", "");
    const found = problems();
    expect(found.join("\n")).toMatch(
      /mash\.yaml:\d+: argument "first" of Query\.searchSubjects is not declared: name the field of Subject it reads/,
    );
    const line = Number(/mash\.yaml:(\d+)/.exec(found[0] ?? "")?.[1]);
    expect(readFileSync(join(dir, "mash.yaml"), "utf8").split("\n")[line - 1]).toContain(
      "Query.searchSubjects:",
    );
  });

  it.each([
    [
      "a rule on a field a search reads, conditioned on another field than the flag",
      "mash.yaml",
      "    conditions: { sealed: true }\n    fields:\n      Subject: [address, nhsNumber, household]",
      '    conditions: { sealed: true, dateOfBirth: { $gt: "2010-01-01" } }\n    fields:\n      Subject: [address, nhsNumber, household]',
      /mash\.yaml:\d+ rule mash-sealed-record: its conditions read sealed, dateOfBirth of Subject, but Subject\.address is read by the search argument Query\.searchSubjects\(postcode\) \(mash\.yaml:\d+\), which is judged per person on Subject\.sealed alone/,
    ],
    [
      "a conditional rule on a field below the person that a search reads",
      "mash.yaml",
      "  - id: mash-sealed-record\n",
      '  - id: mash-postcode-by-line\n    description: x\n    roles: [practitioners]\n    conditions: { line1: "1 High Street" }\n    fields:\n      Address: [postcode]\n    legalBasis: x\n  - id: mash-sealed-record\n',
      /rule mash-postcode-by-line: its conditions read line1 of Address, but Address\.postcode is read by the search argument Query\.searchSubjects\(postcode\)/,
    ],
    [
      "an argument the field does not have",
      "mash.yaml",
      "    first: none\n",
      "    first: none\n    town: Subject.address\n",
      /mash\.yaml:\d+: Query\.searchSubjects has no argument "town"/,
    ],
    [
      "a read field that does not exist",
      "mash.yaml",
      "    postcode: Subject.address.postcode\n",
      "    postcode: Subject.address.postcod\n",
      /mash\.yaml:\d+: Address has no field "postcod" \(in Subject\.address\.postcod\)/,
    ],
    [
      "a read of another type than the person found",
      "mash.yaml",
      "    postcode: Subject.address.postcode\n",
      "    postcode: Address.postcode\n",
      /mash\.yaml:\d+: Address\.postcode is not a field of Subject: a search argument reads the person it finds/,
    ],
    [
      "a search field that does not return people",
      "mash.yaml",
      "arguments:\n",
      "arguments:\n  Query.mashPerformance:\n    from: none\n    to: none\n",
      /mash\.yaml:\d+: Query\.mashPerformance does not return Subject/,
    ],
    [
      "another agency declaring the hub's search",
      "police.yaml",
      "agency: police\n",
      "agency: police\narguments:\n  Query.searchSubjects:\n    name: Subject.name\n",
      /police\.yaml:\d+: Query\.searchSubjects belongs to mash \(policies\/mash\.yaml\): an agency's file may declare only the arguments of its own fields/,
    ],
    [
      "a read that is not Type.field",
      "mash.yaml",
      "    postcode: Subject.address.postcode\n",
      "    postcode: address\n",
      /mash\.yaml:\d+: arguments\.Query\.searchSubjects\.postcode must match pattern/,
    ],
  ])("refuses %s", (_what, file, from, to, message) => {
    edit(file, from, to);
    expect(problems().join("\n")).toMatch(message);
    expect(loadPolicies({ dir, supergraphSdl }).policy).toBeUndefined();
  });
});
