import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { Authority } from "../authz/ability.ts";
import type { PolicyText } from "../authz/policy/load.ts";
import type { PolicyCaseChange } from "../policy-tests/case-changes.ts";
import {
  type AccessChange,
  type AffectedCount,
  affectedSubjects,
  impact,
  type SubjectCounts,
} from "./impact.ts";
import { wideningOf } from "./lifecycle-widening.ts";
import { unifiedDiff } from "./line-diff.ts";
import type { PolicyVersion } from "./policy-store.ts";
import {
  agencyFileOf,
  agencyTextOf,
  type ProblemView,
  problemViews,
  validateAgencyText,
} from "./policy-texts.ts";

export interface ImpactView {
  problems: ProblemView[];
  changes: AccessChange[];
  affectedSubjects: AffectedCount[];
  caseChanges: PolicyCaseChange[];
  /** What the text gives beyond the policy in force, in words (lifecycle-widening.ts). */
  widening: string[];
}

export interface ImpactDeps {
  /** The policy in force in this gateway, and its texts: the policy holder. */
  holder: { authority(): Authority; texts(): readonly PolicyText[] };
  supergraphSdl: string;
  subjectCounts?: SubjectCounts;
  /** Below this many subjects a count is shown only as "fewer than" it (impact.ts's default). */
  impactMinCount?: number;
  /** The agency's policy test cases whose outcome the candidate changes; none when not wired. */
  caseChanges?: (agency: string, current: Authority, candidate: Authority) => PolicyCaseChange[];
  /** Changes whenever the agency's policy tests do, so an edit to them shows without a restart. */
  casesVersion?: (agency: string) => string;
}

/**
 * What a candidate text changes against the policy this gateway enforces: access (impact.ts),
 * the subjects with such records, the agency's test cases, and whether it widens anything. One
 * computation for Query.impact and every version's review card; the part without counts is
 * remembered per policy in force and text, since a listing asks for it once per version.
 */
export function createImpact(deps: ImpactDeps) {
  const cache = new Map<string, Omit<ImpactView, "affectedSubjects"> & { types: string[] }>();

  const judged = (agency: string, text: string) => {
    const current = deps.holder.authority();
    const cases = deps.casesVersion?.(agency) ?? "";
    const key = `${current.policy.version}\0${agency}\0${cases}\0${createHash("sha256").update(text).digest("hex")}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const files = deps.holder.texts();
    const loaded = validateAgencyText({
      files,
      agency,
      text,
      supergraphSdl: deps.supergraphSdl,
    });
    let result: Omit<ImpactView, "affectedSubjects"> & { types: string[] };
    if (!loaded.policy) {
      const problems = problemViews(loaded.problems, agencyFileOf(files, agency));
      result = { problems, changes: [], caseChanges: [], widening: [], types: [] };
    } else {
      const candidate = new Authority(loaded.policy);
      const changed = impact(current, candidate, agency);
      result = {
        problems: [],
        changes: changed.changes,
        caseChanges: deps.caseChanges?.(agency, current, candidate) ?? [],
        widening: wideningOf(current, candidate, agency),
        types: changed.changedTypes,
      };
    }
    if (cache.size > 50) cache.clear();
    cache.set(key, result);
    return result;
  };

  return {
    /** The text's impact; subject counts asked of the subgraphs only when `counts` is set. */
    async of(agency: string, text: string, counts = true): Promise<ImpactView> {
      const { types, ...result } = judged(agency, text);
      if (!counts || types.length === 0) return { ...result, affectedSubjects: [] };
      try {
        const affected = await affectedSubjects(types, deps.subjectCounts, deps.impactMinCount);
        return { ...result, affectedSubjects: affected };
      } catch (error) {
        // Counts missing an agency would understate who a change affects: say so, not zero.
        // The counter's errors name subgraphs, never addresses, so the message may be shown.
        throw new GraphQLError((error as Error).message, {
          extensions: { code: "SUBJECT_COUNTS_UNAVAILABLE" },
        });
      }
    },

    /** A unified diff of a version against the agency's text in force here; "" when the same. */
    diff(version: PolicyVersion, inForce: PolicyVersion | undefined): string {
      const files = deps.holder.texts();
      const live = agencyTextOf(files, version.agency) ?? "";
      const before =
        inForce && inForce.text === live
          ? `version ${inForce.number}`
          : agencyFileOf(files, version.agency);
      return unifiedDiff(live, version.text, {
        before: `in force (${before})`,
        after: `version ${version.number}`,
      });
    },
  };
}

export type PolicyImpact = ReturnType<typeof createImpact>;
