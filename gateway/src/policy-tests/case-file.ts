import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { defaultPoliciesDir } from "../authz/policy/load.ts";
import { parseYamlText } from "../authz/policy/read-yaml.ts";
import { describeSchemaError } from "../authz/policy/schema-errors.ts";
import type { PolicyProblem, PolicySet } from "../authz/policy/types.ts";
import type { RecordSchema } from "../governance/record-attributes.ts";
import type { CaseProblem, PolicyCase } from "./case-types.ts";
import { type RawCase, readCase } from "./read-case.ts";

// Re-exported: the runner, the governance API and the report take the case types from here.
export type { CaseProblem, PolicyCase } from "./case-types.ts";

export const formatCaseProblem = (p: CaseProblem): string =>
  `${p.line ? `${p.file}:${p.line}` : p.file}${p.case ? ` case "${p.case}"` : ""}: ${p.message}`;

/** Where an agency's cases live: beside its policy, in the folder's tests/. */
export const testsDirOf = (policiesDir: string) => join(policiesDir, "tests");
export const caseFileOf = (policiesDir: string, agency: string) =>
  join(testsDirOf(policiesDir), `${agency}.yaml`);

let validate: ValidateFunction | undefined;
const shape = () => {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(
      readFileSync(join(testsDirOf(defaultPoliciesDir), "policy-tests.schema.json"), "utf8"),
    ) as object,
  );
  return validate;
};

/**
 * Reads one agency's case file and checks every case against the policy: roles, the type (one
 * of the agency's), the attributes (fields its rules' conditions read, values their type can
 * hold) and the expected fields (the agency's own fields of the type). Problems carry lines.
 */
export function readCaseText(options: {
  file: string;
  text: string;
  policy: PolicySet;
  schema: RecordSchema;
}): { cases: PolicyCase[]; agency?: string; problems: CaseProblem[] } {
  const { file, policy } = options;
  const yamlProblems: PolicyProblem[] = [];
  const yaml = parseYamlText(file, options.text, yamlProblems);
  if (!yaml) return { cases: [], problems: yamlProblems };
  const problems: CaseProblem[] = [];
  const check = shape();
  if (!check(yaml.value)) {
    for (const e of check.errors ?? []) {
      if (e.keyword === "if") continue;
      const { path, message } = describeSchemaError(e);
      const hint = e.keyword === "oneOf" ? " (give roles or role, not both)" : "";
      problems.push({ file, line: yaml.lineOf(path), message: `${message}${hint}` });
    }
    return { cases: [], problems };
  }
  const raw = yaml.value as { agency: string; cases: RawCase[] };
  const agency = raw.agency;
  const named = basename(file).replace(/\.ya?ml$/, "");
  if (!policy.agencies.has(agency))
    problems.push({
      file,
      line: yaml.lineOf(["agency"]),
      message: `no agency "${agency}" in roles.yaml`,
    });
  else if (named !== agency)
    problems.push({
      file,
      line: yaml.lineOf(["agency"]),
      message: `the cases of ${agency} belong in ${agency}.yaml`,
    });
  if (problems.length) return { cases: [], agency, problems };
  const cases = raw.cases.flatMap((c, i) => readCase(yaml, agency, c, i, options, problems));
  const seen = new Map<string, number>();
  const repeats = new Set<PolicyCase>();
  for (const c of cases) {
    const first = seen.get(c.name);
    if (first === undefined) seen.set(c.name, c.line);
    else {
      repeats.add(c);
      problems.push({
        file,
        line: c.line,
        case: c.name,
        message: `repeats the name of line ${first}`,
      });
    }
  }
  // The cases that are well formed still run: one bad case must not hide another's failure.
  return { cases: cases.filter((c) => !repeats.has(c)), agency, problems };
}
/** Every agency's case file in a policies folder's tests/ (none when it has no tests/). */
export function readCaseDir(
  policiesDir: string,
  policy: PolicySet,
  schema: RecordSchema,
): { files: { file: string; agency?: string; cases: PolicyCase[] }[]; problems: CaseProblem[] } {
  const dir = testsDirOf(policiesDir);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch {
    return { files: [], problems: [] };
  }
  const problems: CaseProblem[] = [];
  const files = names.map((name) => {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
      return { file, cases: [] };
    }
    const read = readCaseText({ file, text, policy, schema });
    problems.push(...read.problems);
    return { file, agency: read.agency, cases: read.cases };
  });
  return { files, problems };
}

/** One agency's cases, tests/<agency>.yaml of a policies folder; none when it has no file. */
export function readAgencyCases(
  policiesDir: string,
  agency: string,
  policy: PolicySet,
  schema: RecordSchema,
): { cases: PolicyCase[]; problems: CaseProblem[] } {
  const file = caseFileOf(policiesDir, agency);
  if (!existsSync(file)) return { cases: [], problems: [] };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return {
      cases: [],
      problems: [{ file, message: `cannot be read: ${(error as Error).message}` }],
    };
  }
  const read = readCaseText({ file, text, policy, schema });
  return { cases: read.cases, problems: read.problems };
}
