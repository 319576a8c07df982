import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Authority } from "../authz/ability.ts";
import { defaultPoliciesDir, loadPolicies } from "../authz/policy/load.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { recordSchemaOf } from "../governance/record-attributes.ts";
import { caseChanges } from "./case-changes.ts";
import { formatCaseProblem, readAgencyCases, readCaseText } from "./case-file.ts";
import { formatReport } from "./report.ts";
import { runPolicyTests } from "./run-cases.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const policy = loadPolicies({ dir: defaultPoliciesDir, supergraphSdl }).policy as PolicySet;
const schema = recordSchemaOf(supergraphSdl);
const repoRoot = join(defaultPoliciesDir, "..");

describe("the repository's policy tests (CI: every agency's file, every case must pass)", () => {
  const report = runPolicyTests({ dir: defaultPoliciesDir, supergraphSdl });

  it("pass, every one, with no problem in any file", () => {
    expect(report.policyProblems).toEqual([]);
    expect(report.caseProblems.map(formatCaseProblem)).toEqual([]);
    const failures = report.outcomes.flatMap((o) =>
      o.failures.map((f) => `${o.case.file}:${f.line} ${o.case.name}: ${f.message}`),
    );
    expect(failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(formatReport(report).at(-1)).toMatch(/^Policy tests: \d+ passed, 0 failed, in 7 file/);
  });

  it("cover every agency, each role's key fields, and the conditions", () => {
    expect(report.untested).toEqual([]);
    for (const agency of policy.agencies.keys())
      expect(
        report.outcomes.filter((o) => o.case.agency === agency).length,
        agency,
      ).toBeGreaterThanOrEqual(8);
    const questions = report.outcomes.map((o) => o.case.question);
    // Every practitioner role is a requester somewhere, in and outside an enquiry.
    for (const [role, def] of policy.roles)
      if (!def.governance)
        expect(
          questions.filter((q) => q.roles.includes(role)).map((q) => q.purpose),
          role,
        ).toEqual(expect.arrayContaining(["outside", "inEnquiry"]));
    // The conditions: both handling codes, sealed or not, an enquiry taken part in or not.
    const valued = (field: string, value: unknown) =>
      questions.some((q) => q.attributes[field] === value);
    for (const [field, value] of [
      ["handlingCode", "P"],
      ["handlingCode", "C"],
      ["sealed", true],
      ["sealed", false],
      ["takesPart", true],
      ["takesPart", false],
    ] as const)
      expect(valued(field, value), `${field}: ${value}`).toBe(true);
    expect(questions.some((q) => q.purpose === "breakGlass")).toBe(true);
    expect(report.outcomes.some((o) => o.case.listed?.value === false)).toBe(true);
  });
});

describe("npm run policies:test", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mash-policy-tests-"));
    cpSync(defaultPoliciesDir, dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) =>
    promisify(execFile)("npx", ["tsx", "gateway/src/policy-tests/cli.ts", ...args], {
      cwd: repoRoot,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it("exits 0 on the repository's cases, and 1 naming case, file and line on a wrong expectation", async () => {
    const ok = await cli();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Policy tests: \d+ passed, 0 failed, in 7 file\(s\)\.$/m);

    // The health nurse is expected to read the incident's narrative, which the policy withholds.
    const file = join(dir, "tests", "police.yaml");
    const text = readFileSync(file, "utf8");
    const wrong = text.replace(
      "    visible: [id, occurredAt, category, childPresent]\n    withheld: [summary]",
      "    visible: [id, occurredAt, category, childPresent, summary]",
    );
    expect(wrong).not.toBe(text);
    writeFileSync(file, wrong);
    const line =
      wrong.split("\n").indexOf("    visible: [id, occurredAt, category, childPresent, summary]") +
      1;
    const failed = await cli("--dir", dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      `${join(dir, "tests", "police.yaml").replace(`${repoRoot}/`, "")}`,
    );
    expect(failed.stderr).toMatch(
      new RegExp(
        `police\\.yaml:${line} case "in an enquiry a health nurse sees the facts of an incident but not its narrative": PoliceIncident\\.summary expected visible, but withheld by default-deny`,
      ),
    );
    expect(failed.stderr).toMatch(/Policy tests: \d+ passed, 1 failed/);
    // One agency's cases alone.
    expect((await cli("--dir", dir, "--agency", "health")).code).toBe(0);
    expect((await cli("--no-such-flag")).code).toBe(2);
  }, 60_000);
});

describe("case files: every problem with its file and line", () => {
  const read = (text: string, file = "police.yaml") =>
    readCaseText({ file, text, policy, schema }).problems.map(formatCaseProblem);
  const one = (body: string) => `agency: police\ncases:\n  - name: c1\n${body}`;

  it.each([
    ["agency: police\ncases:\n  - name: [\n", /^police\.yaml:4: is not valid YAML/],
    ["agency: police\ncases: []\n", /^police\.yaml:2: cases must NOT have fewer than 1 items/],
    [
      one(
        "    role: social_worker\n    purpose: sometimes\n    type: PoliceSection\n    visible: [known]\n",
      ),
      /police\.yaml:5: cases\.0\.purpose must be equal to one of the allowed values \(outside, inEnquiry, breakGlass\)/,
    ],
    [
      one(
        "    role: wizard\n    purpose: outside\n    type: PoliceSection\n    visible: [known]\n",
      ),
      /^police\.yaml:4 case "c1": no role "wizard" in roles\.yaml$/,
    ],
    [
      one(
        "    role: social_worker\n    purpose: outside\n    type: MentalHealth\n    visible: [service]\n",
      ),
      /^police\.yaml:6 case "c1": "MentalHealth" is not a type with fields of police's/,
    ],
    [
      one(
        "    role: social_worker\n    purpose: outside\n    type: Intelligence\n    attributes: { grading: A1 }\n    visible: [id]\n",
      ),
      /^police\.yaml:7 case "c1": no rule reads Intelligence\.grading in its conditions \(they read handlingCode\)$/,
    ],
    [
      one(
        "    role: social_worker\n    purpose: outside\n    type: Intelligence\n    attributes: { handlingCode: X }\n    visible: [id]\n",
      ),
      /^police\.yaml:7 case "c1": "X" is not a HandlingCode value for handlingCode \(one of P, C\)$/,
    ],
    [
      one(
        "    role: social_worker\n    purpose: outside\n    type: PoliceSection\n    visible: [known]\n    withheld:\n      - incidents\n      - known\n",
      ),
      /^police\.yaml:10 case "c1": known is expected twice \(also on line 7\)$/,
    ],
    [
      one(
        "    role: social_worker\n    purpose: outside\n    type: Subject\n    visible: [name]\n",
      ),
      /^police\.yaml:7 case "c1": Subject\.name is not one of police's fields \(police\)$/,
    ],
    [
      one("    role: social_worker\n    purpose: outside\n    type: PoliceSection\n"),
      /^police\.yaml:3 case "c1": expects nothing/,
    ],
    [
      `${one("    role: social_worker\n    purpose: outside\n    type: PoliceSection\n    visible: [known]\n")}  - name: c1\n    role: social_worker\n    purpose: inEnquiry\n    type: PoliceSection\n    visible: [known]\n`,
      /^police\.yaml:8 case "c1": repeats the name of line 3$/,
    ],
    [
      "agency: health\ncases:\n  - { name: a, role: social_worker, purpose: outside, type: HealthSection, visible: [known] }\n",
      /^police\.yaml:1: the cases of health belong in health\.yaml$/,
    ],
  ])("%#: %s", (text, expected) => {
    expect(read(text)).toEqual([expect.stringMatching(expected)]);
  });

  it("still runs a file's good cases beside a bad one, so one mistake hides no failure", () => {
    const { cases, problems } = readCaseText({
      file: "police.yaml",
      text: one(
        "    role: wizard\n    purpose: outside\n    type: PoliceSection\n    visible: [known]\n  - name: c2\n    role: social_worker\n    purpose: outside\n    type: PoliceSection\n    visible: [known]\n",
      ),
      policy,
      schema,
    });
    expect(problems).toHaveLength(1);
    expect(cases.map((c) => c.name)).toEqual(["c2"]);
  });
});

describe("caseChanges: the cases a candidate flips", () => {
  const live = new Authority(policy);
  const police = readAgencyCases(defaultPoliciesDir, "police", policy, schema).cases;
  const withPolice = (...edits: [string, string][]) => {
    const dir = mkdtempSync(join(tmpdir(), "mash-candidate-"));
    try {
      cpSync(defaultPoliciesDir, dir, { recursive: true });
      const file = join(dir, "police.yaml");
      let text = readFileSync(file, "utf8");
      for (const [from, to] of edits) {
        expect(text).toContain(from);
        text = text.replace(from, to);
      }
      writeFileSync(file, text);
      const loaded = loadPolicies({ dir, supergraphSdl });
      expect(loaded.problems).toEqual([]);
      return new Authority(loaded.policy as PolicySet);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("names nothing for the policy in force", () => {
    expect(caseChanges(police, live, live, schema)).toEqual([]);
  });

  it("names exactly the cases that sharing code C intelligence would break, with what it shows", () => {
    // Children's social care given code C as well as P, and no longer denied it.
    const candidate = withPolice(
      ["conditions: { handlingCode: P }", "conditions: { handlingCode: { $in: [P, C] } }"],
      [
        "    effect: deny\n    roles: [social_worker, mash_manager, health_safeguarding_nurse",
        "    effect: deny\n    roles: [health_safeguarding_nurse",
      ],
    );
    const changes = caseChanges(police, live, candidate, schema);
    expect(changes.map((c) => c.name).sort()).toEqual([
      "breaking the glass opens no intelligence source and no code C item",
      "handling code C intelligence is left out of a social worker's list, as if it did not exist",
    ]);
    expect(changes.find((c) => c.name.startsWith("handling code C"))).toEqual({
      name: "handling code C intelligence is left out of a social worker's list, as if it did not exist",
      passedBefore: true,
      passedAfter: false,
      nowVisible: ["Intelligence.grading", "Intelligence.handlingCode", "Intelligence.summary"],
      nowWithheld: [],
    });
  });
});
