import { Authority } from "../authz/ability.ts";
import { defaultPoliciesDir, loadPolicies } from "../authz/policy/load.ts";
import type { PolicyProblem } from "../authz/policy/types.ts";
import { type RecordSchema, recordSchemaOf } from "../governance/record-attributes.ts";
import { judgeRecord, type RecordVerdict } from "../governance/simulate.ts";
import { type CaseProblem, type PolicyCase, readCaseDir } from "./case-file.ts";

/** What `npm run policies:test` runs: a policies folder's cases, against that folder's rules. */
export interface PolicyTestOptions {
  /** The policies folder; its cases are in tests/<agency>.yaml. */
  dir?: string;
  supergraphSdl: string;
  /** Only these agencies' cases; every agency's when absent. */
  agencies?: readonly string[];
}

export interface CaseFailure {
  line: number;
  message: string;
}

export interface CaseOutcome {
  case: PolicyCase;
  passed: boolean;
  failures: CaseFailure[];
  verdict: RecordVerdict;
}

export interface PolicyTestReport {
  dir: string;
  /** The policy itself does not load: no case can be run. */
  policyProblems: PolicyProblem[];
  caseProblems: CaseProblem[];
  outcomes: CaseOutcome[];
  /** Agencies (of those asked for) with no cases. */
  untested: string[];
  /** Every case ran and passed, and nothing was wrong with the files. */
  ok: boolean;
}

/**
 * One case, judged by the gateway's own judge (judgeRecord) under `authority`: passed when every
 * field it names is visible or withheld as expected, and the item is listed as expected.
 */
export function runCase(
  authority: Authority,
  schema: RecordSchema,
  policyCase: PolicyCase,
): CaseOutcome {
  const verdict = judgeRecord(authority, schema, policyCase.agency, policyCase.question);
  const failures: CaseFailure[] = [];
  const type = policyCase.question.type;
  for (const expected of policyCase.expect) {
    const got = verdict.fields.find((f) => f.field === `${type}.${expected.field}`);
    if (!got) {
      failures.push({ line: expected.line, message: `${type}.${expected.field} is not judged` });
      continue;
    }
    if (got.visible === expected.visible) continue;
    failures.push({
      line: expected.line,
      message: expected.visible
        ? `${got.field} expected visible, but withheld by ${got.rule}${
            got.toldRule && got.toldRule !== got.rule
              ? ` (the requester is told ${got.toldRule})`
              : ""
          }`
        : `${got.field} expected withheld, but visible by ${got.rule}`,
    });
  }
  const listed = policyCase.listed;
  if (listed && listed.value !== verdict.listed)
    failures.push({
      line: listed.line,
      message: listed.value
        ? `expected listed, but left out of lists (${verdict.unlistedBy} withholds a value its conditions read)`
        : "expected left out of lists, but listed",
    });
  return { case: policyCase, passed: failures.length === 0, failures, verdict };
}

/** Loads a policies folder and runs its cases: the library behind `npm run policies:test`. */
export function runPolicyTests(options: PolicyTestOptions): PolicyTestReport {
  const dir = options.dir ?? defaultPoliciesDir;
  const loaded = loadPolicies({ dir, supergraphSdl: options.supergraphSdl });
  const empty = { dir, caseProblems: [], outcomes: [], untested: [] };
  if (!loaded.policy) return { ...empty, policyProblems: loaded.problems, ok: false };
  const policy = loaded.policy;
  const authority = new Authority(policy);
  const schema = recordSchemaOf(options.supergraphSdl);
  const wanted = options.agencies ?? [...policy.agencies.keys()];
  const unknown = wanted.filter((a) => !policy.agencies.has(a));
  const read = readCaseDir(dir, policy, schema);
  const caseProblems = [
    ...unknown.map((a) => ({ file: dir, message: `no agency "${a}" in roles.yaml` })),
    ...read.problems.filter((p) => {
      const file = read.files.find((f) => f.file === p.file);
      return !file?.agency || wanted.includes(file.agency);
    }),
  ];
  const files = read.files.filter((f) => f.agency && wanted.includes(f.agency));
  const outcomes = files.flatMap((f) => f.cases.map((c) => runCase(authority, schema, c)));
  const tested = new Set(files.filter((f) => f.cases.length).map((f) => f.agency));
  const untested = wanted.filter((a) => policy.agencies.has(a) && !tested.has(a));
  return {
    ...empty,
    policyProblems: [],
    caseProblems,
    outcomes,
    untested,
    ok: caseProblems.length === 0 && outcomes.length > 0 && outcomes.every((o) => o.passed),
  };
}
