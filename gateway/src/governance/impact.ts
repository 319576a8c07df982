import type { Authority } from "../authz/ability.ts";
import { type Access, accessOf, agencyFields, PURPOSES, type Purpose } from "./matrix.ts";
import { DEFAULT_IMPACT_MIN_COUNT } from "./policy-config.ts";

export type ChangeKind = "GAIN" | "LOSS" | "CONDITION_CHANGED";

export interface AccessChange {
  role: string;
  field: string;
  purpose: Purpose;
  before: Access;
  after: Access;
  beforeCondition: string | null;
  afterCondition: string | null;
  change: ChangeKind;
}

export interface ImpactResult {
  changes: AccessChange[];
  /** Types with a changed field, for counting the subjects who hold such records. */
  changedTypes: string[];
}

/** How much a role gets: a condition is less than always, more than never. */
const RANK: Record<Access, number> = { DENIED: 0, CONDITIONAL: 1, ALLOWED: 2 };

/**
 * Who gains or loses what, for one agency's fields, if `candidate` replaced `current`: every role
 * x field x purpose whose access or condition differs. Both sides are read from the engine's own
 * abilities (matrix.ts), so the report cannot disagree with what enforcement would do. A change
 * of rule ids alone (a rename) is no change of access and is not reported.
 */
export function impact(current: Authority, candidate: Authority, agency: string): ImpactResult {
  const roles = [...new Set([...current.policy.roles.keys(), ...candidate.policy.roles.keys()])];
  const fields = [
    ...new Set([
      ...agencyFields(current.policy, agency),
      ...agencyFields(candidate.policy, agency),
    ]),
  ];
  const changes: AccessChange[] = [];
  const types = new Set<string>();
  for (const field of fields) {
    for (const role of roles) {
      // A role that may break the glass under neither policy has no break-glass access to change:
      // its "break glass" column only repeats "in an enquiry".
      const mayBreakGlass = current.mayBreakGlass([role]) || candidate.mayBreakGlass([role]);
      for (const purpose of PURPOSES) {
        if (purpose === "breakGlass" && !mayBreakGlass) continue;
        const before = current.policy.roles.has(role)
          ? accessOf(current, role, field, purpose)
          : { access: "DENIED" as const, condition: null };
        const after = candidate.policy.roles.has(role)
          ? accessOf(candidate, role, field, purpose)
          : { access: "DENIED" as const, condition: null };
        if (before.access === after.access && before.condition === after.condition) continue;
        const change: ChangeKind =
          RANK[after.access] > RANK[before.access]
            ? "GAIN"
            : RANK[after.access] < RANK[before.access]
              ? "LOSS"
              : "CONDITION_CHANGED";
        changes.push({
          role,
          field,
          purpose,
          before: before.access,
          after: after.access,
          beforeCondition: before.condition,
          afterCondition: after.condition,
          change,
        });
        types.add(field.split(".")[0] as string);
      }
    }
  }
  return { changes, changedTypes: [...types] };
}

/** Counts of subjects with records of each type; provided by the data side of the gateway. */
export type SubjectCounts = () => Promise<Record<string, number>>;

/**
 * One changed type's subjects: the count, or, when it is under the threshold (0 included),
 * null with `fewerThan` set, so a small count cannot single out the few people it is about.
 */
export interface AffectedCount {
  type: string;
  subjects: number | null;
  fewerThan: number | null;
}

export function affectedCount(type: string, count: number, minCount: number): AffectedCount {
  return count < minCount
    ? { type, subjects: null, fewerThan: minCount }
    : { type, subjects: count, fewerThan: null };
}

/** Subjects holding records of each changed type; empty when no counter is wired in. */
export async function affectedSubjects(
  changedTypes: readonly string[],
  subjectCounts?: SubjectCounts,
  minCount = DEFAULT_IMPACT_MIN_COUNT,
): Promise<AffectedCount[]> {
  if (!subjectCounts || changedTypes.length === 0) return [];
  const counts = await subjectCounts();
  return changedTypes.map((type) => affectedCount(type, counts[type] ?? 0, minCount));
}
