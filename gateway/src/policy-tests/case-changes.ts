import type { Authority } from "../authz/ability.ts";
import type { RecordSchema } from "../governance/record-attributes.ts";
import type { PolicyCase } from "./case-file.ts";
import { runCase } from "./run-cases.ts";

/** A case whose outcome a candidate text changes: what a reviewer should look at first. */
export interface PolicyCaseChange {
  name: string;
  passedBefore: boolean;
  passedAfter: boolean;
  /** The agency's fields of the case's record that the candidate shows and the policy in force withholds. */
  nowVisible: string[];
  nowWithheld: string[];
}

/**
 * Each case run under the policy in force and under the candidate, by the same judge: the cases
 * whose pass or fail, or whose fields' verdicts, differ. A case that reads the same under both is
 * left out, so an empty list means the candidate changes nothing the agency's tests describe.
 */
export function caseChanges(
  cases: readonly PolicyCase[],
  current: Authority,
  candidate: Authority,
  schema: RecordSchema,
): PolicyCaseChange[] {
  const changes: PolicyCaseChange[] = [];
  for (const policyCase of cases) {
    const before = runCase(current, schema, policyCase);
    const after = runCase(candidate, schema, policyCase);
    const was = new Map(before.verdict.fields.map((f) => [f.field, f.visible]));
    const nowVisible: string[] = [];
    const nowWithheld: string[] = [];
    for (const field of after.verdict.fields) {
      const visibleBefore = was.get(field.field) ?? false;
      if (field.visible && !visibleBefore) nowVisible.push(field.field);
      if (!field.visible && visibleBefore) nowWithheld.push(field.field);
    }
    if (before.passed === after.passed && nowVisible.length === 0 && nowWithheld.length === 0)
      continue;
    changes.push({
      name: policyCase.name,
      passedBefore: before.passed,
      passedAfter: after.passed,
      nowVisible,
      nowWithheld,
    });
  }
  return changes;
}
