import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aliasBomb } from "../authz/policy/hostile-yaml.ts";
import {
  defaultPoliciesDir,
  loadPolicies,
  loadPolicyTexts,
  readPolicyDir,
} from "../authz/policy/load.ts";
import { formatProblem } from "../authz/policy/types.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { policyPollMs, policyStoreConfig } from "./policy-config.ts";
import {
  agencyTextOf,
  overlayPublished,
  problemViews,
  validateAgencyText,
  withAgencyText,
} from "./policy-texts.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mash-policies-"));
  cpSync(defaultPoliciesDir, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("policies from texts", () => {
  it("loads texts exactly as the directory they came from", () => {
    const fromDir = loadPolicies({ dir, supergraphSdl });
    const fromTexts = loadPolicyTexts({ files: readPolicyDir(dir).files, supergraphSdl });
    expect(fromTexts.problems).toEqual([]);
    expect(fromTexts.policy?.version).toBe(fromDir.policy?.version);
    expect(fromTexts.policy?.rules).toEqual(fromDir.policy?.rules);
    // The order texts are given in does not change the version.
    const reversed = loadPolicyTexts({ files: readPolicyDir(dir).files.reverse(), supergraphSdl });
    expect(reversed.policy?.version).toBe(fromDir.policy?.version);
  });

  it("reports a broken text with the same file, line and rule as the broken file", () => {
    const police = readFileSync(join(dir, "police.yaml"), "utf8");
    const broken = police.replace("PoliceSection: [known]", "PoliceSection: [knwon]\n  bad: [");
    writeFileSync(join(dir, "police.yaml"), broken);
    const fromDir = loadPolicies({ dir, supergraphSdl }).problems.map(formatProblem);
    const files = withAgencyText(readPolicyDir(defaultPoliciesDir).files, "police", broken);
    const fromTexts = loadPolicyTexts({ files, supergraphSdl }).problems.map(formatProblem);
    expect(fromDir.length).toBeGreaterThan(0);
    expect(fromTexts).toEqual(fromDir);
    expect(fromTexts[0]).toMatch(/^police\.yaml:\d+/);
  });

  it("names what is missing or doubled", () => {
    const files = readPolicyDir(dir).files;
    expect(
      loadPolicyTexts({ files: files.filter((f) => f.name !== "roles.yaml"), supergraphSdl })
        .problems,
    ).toEqual([{ file: "roles.yaml", message: "is missing from the policy texts" }]);
    expect(
      loadPolicyTexts({ files: [...files, files[0] as (typeof files)[0]], supergraphSdl }).problems,
    ).toEqual([{ file: files[0]?.name, message: "is given twice" }]);
    rmSync(join(dir, "roles.yaml"));
    expect(loadPolicies({ dir, supergraphSdl }).problems).toEqual([
      { file: "roles.yaml", message: `is missing from ${dir}` },
    ]);
  });

  it("lays published texts over the files, agency by agency", () => {
    const files = readPolicyDir(dir).files;
    const overlaid = overlayPublished(files, new Map([["police", "agency: police\n"]]));
    expect(agencyTextOf(overlaid, "police")).toBe("agency: police\n");
    expect(agencyTextOf(overlaid, "health")).toBe(agencyTextOf(files, "health"));
    expect(overlaid.map((f) => f.name)).toEqual(files.map((f) => f.name));
    expect(agencyTextOf(withAgencyText(files, "newcomer", "x"), "newcomer")).toBe("x");
  });

  it("shows problems in another agency's file with that file's name", () => {
    const views = problemViews(
      [
        { file: "police.yaml", line: 4, rule: "r", message: "m" },
        { file: "health.yaml", line: 9, message: "dup" },
      ],
      "police.yaml",
    );
    expect(views).toEqual([
      { line: 4, rule: "r", message: "m" },
      { line: null, rule: null, message: "health.yaml:9: dup" },
    ]);
  });
});

describe("judging an officer's text", () => {
  it("never throws: a text that breaks the loader is a problem of that text", () => {
    const files = readPolicyDir(dir).files;
    const police = readFileSync(join(dir, "police.yaml"), "utf8");
    // A supergraph that cannot be parsed makes the loader throw before any text is read.
    const broken = validateAgencyText({
      files,
      agency: "police",
      text: police,
      supergraphSdl: "type {",
    });
    expect(broken).toEqual({
      policy: undefined,
      problems: [
        { file: "police.yaml", message: "could not be checked (GraphQLError); it cannot be used" },
      ],
    });
    const bomb = validateAgencyText({ files, agency: "police", text: aliasBomb(), supergraphSdl });
    expect(bomb.problems).toEqual([
      { file: "police.yaml", line: 6, message: expect.stringMatching(/alias bomb/) },
    ]);
  });
});

describe("policy store configuration", () => {
  it("reads PostgreSQL, a SQLite file or nothing", () => {
    expect(policyStoreConfig({})).toBeUndefined();
    expect(policyStoreConfig({ MASH_POLICY_FILE: "/var/mash/policies.sqlite" })).toEqual({
      kind: "sqlite",
      file: "/var/mash/policies.sqlite",
    });
    expect(
      policyStoreConfig({
        MASH_POLICY_DATABASE_URL: "postgres://p@db:5432/mash",
        MASH_POLICY_DATABASE_SCHEMA_PREFIX: "t1_",
      }),
    ).toEqual({ kind: "postgres", url: "postgres://p@db:5432/mash", schema: "t1_policy" });
    expect(() => policyStoreConfig({ MASH_POLICY_DATABASE_URL: "mysql://x/y" })).toThrow(
      /MASH_POLICY_DATABASE_URL/,
    );
    expect(policyPollMs({ MASH_POLICY_POLL_MS: "250" })).toBe(250);
    expect(() => policyPollMs({ MASH_POLICY_POLL_MS: "fast" })).toThrow(/MASH_POLICY_POLL_MS/);
  });
});
