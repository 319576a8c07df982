import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { defaultPoliciesDir } from "../authz/policy/load.ts";
import { parseYamlText, type YamlFile } from "../authz/policy/read-yaml.ts";
import { describeSchemaError } from "../authz/policy/schema-errors.ts";
import type { PolicyProblem, PolicySet } from "../authz/policy/types.ts";
import type { Purpose } from "../governance/matrix.ts";
import type { RecordSchema } from "../governance/record-attributes.ts";
import { agencyTypes, questionProblems, type RecordQuestion } from "../governance/simulate.ts";

/** One named case of an agency's policy tests, with the line of each thing it expects. */
export interface PolicyCase {
  name: string;
  agency: string;
  /** The file as read (policies/tests/police.yaml) and the line the case starts on. */
  file: string;
  line: number;
  question: RecordQuestion;
  expect: { field: string; visible: boolean; line: number }[];
  listed?: { value: boolean; line: number };
}

/** A problem of a case file: its file, line and case, and what is wrong. */
export interface CaseProblem {
  file: string;
  line?: number;
  case?: string;
  message: string;
}

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

interface RawCase {
  name: string;
  role?: string;
  roles?: string[];
  purpose: Purpose;
  type: string;
  attributes?: Record<string, unknown>;
  visible?: string[];
  withheld?: string[];
  listed?: boolean;
}

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

function readCase(
  yaml: YamlFile,
  agency: string,
  raw: RawCase,
  i: number,
  options: { file: string; policy: PolicySet; schema: RecordSchema },
  problems: CaseProblem[],
): PolicyCase[] {
  const { file, policy, schema } = options;
  const at = (...path: (string | number)[]) => yaml.lineOf(["cases", i, ...path]);
  const before = problems.length;
  const fail = (message: string, line: number | undefined) =>
    problems.push({ file, line, case: raw.name, message });
  const question: RecordQuestion = {
    roles: raw.roles ?? (raw.role ? [raw.role] : []),
    purpose: raw.purpose,
    type: raw.type,
    attributes: raw.attributes ?? {},
  };
  for (const problem of questionProblems(policy, schema, agency, question)) {
    const [part, field] = problem.at;
    const key = raw.roles ? "roles" : "role";
    fail(
      problem.message,
      part === "roles" ? at(key) : field ? at("attributes", field) : at(part ?? ""),
    );
  }
  if (problems.length > before) return [];
  const own = new Set(agencyTypes(policy, agency).get(raw.type) ?? []);
  const expect: PolicyCase["expect"] = [];
  const stated = new Map<string, number | undefined>();
  for (const key of ["visible", "withheld"] as const) {
    (raw[key] ?? []).forEach((field, j) => {
      const line = at(key, j);
      if (!own.has(field))
        fail(
          `${raw.type}.${field} is not one of ${agency}'s fields (${[...own].join(", ")})`,
          line,
        );
      else if (stated.has(field))
        fail(`${field} is expected twice (also on line ${stated.get(field)})`, line);
      else {
        stated.set(field, line);
        expect.push({ field, visible: key === "visible", line: line ?? 0 });
      }
    });
  }
  if (!raw.visible?.length && !raw.withheld?.length && raw.listed === undefined)
    fail("expects nothing: list visible or withheld fields, or listed", at());
  if (problems.length > before) return [];
  return [
    {
      name: raw.name,
      agency,
      file,
      line: at() ?? 0,
      question,
      expect,
      ...(raw.listed !== undefined
        ? { listed: { value: raw.listed, line: at("listed") ?? 0 } }
        : {}),
    },
  ];
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
