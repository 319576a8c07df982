import type { AbilityContext, Authority } from "../authz/ability.ts";
import type { Conditions, PolicySet } from "../authz/policy/types.ts";
import { describeConditions, type Verdict, verdictFor } from "../authz/verdict.ts";

export type Access = "ALLOWED" | "CONDITIONAL" | "DENIED";

/** The purposes a request can state, as the matrix and impact columns name them. */
export const PURPOSES = ["outside", "inEnquiry", "breakGlass"] as const;
export type Purpose = (typeof PURPOSES)[number];

/** What one role gets of one field for one purpose, and the rules that say so. */
export interface AccessEntry {
  access: Access;
  /** The conditions on the record, when CONDITIONAL. */
  condition: string | null;
  /** Ids of the rules that decide, in the order the engine tries them. */
  rules: string[];
}

/**
 * The ability context a purpose means for one role. Break glass is asked in an enquiry, as the
 * CLI matrix does, and only for roles roles.yaml lets break the glass: for any other role the
 * gateway refuses the reason, so its break-glass column is its enquiry column.
 */
export function contextFor(authority: Authority, role: string, purpose: Purpose): AbilityContext {
  const roles = [role];
  if (purpose === "outside") return { roles, inEnquiry: false, breakGlass: false };
  if (purpose === "inEnquiry") return { roles, inEnquiry: true, breakGlass: false };
  return { roles, inEnquiry: true, breakGlass: authority.mayBreakGlass(roles) };
}

/**
 * Reads a verdict (what the engine's own CASL ability holds for the field, from verdict.ts) as
 * one access level. Branches are tried in order, the rule written last first; the text says so
 * when allow and deny branches mix.
 */
export function accessOfVerdict(v: Verdict): AccessEntry {
  const rules = [
    ...new Set([
      ...v.branches.map((b) => b.rule.id),
      ...(v.otherwise.rule ? [v.otherwise.rule.id] : []),
    ]),
  ];
  // Branches that change the answer: one agreeing with "otherwise" matters only where it is
  // tried before, and can match the same record as, a branch that disagrees.
  const live = v.branches.filter((b) => b.allowed !== v.otherwise.allowed);
  if (live.length === 0)
    return { access: v.otherwise.allowed ? "ALLOWED" : "DENIED", condition: null, rules };
  const parts = live.map((branch) => {
    const before = v.branches.slice(0, v.branches.indexOf(branch));
    const shadows = before.filter(
      (b) => b.allowed === v.otherwise.allowed && !disjoint(b.conditions, branch.conditions),
    );
    const text = describeConditions(branch.conditions);
    return shadows.length
      ? `${text} and not (${shadows.map((b) => describeConditions(b.conditions)).join(" or ")})`
      : text;
  });
  const condition = v.otherwise.allowed ? `unless ${parts.join(" or ")}` : parts.join(" or ");
  return { access: "CONDITIONAL", condition, rules };
}

/** Conditions that no record can meet together: equal to different values on one field. */
function disjoint(a: Conditions, b: Conditions): boolean {
  const plain = (x: unknown) => x === null || typeof x !== "object";
  return Object.entries(a).some(
    ([field, value]) => field in b && plain(value) && plain(b[field]) && value !== b[field],
  );
}

export function accessOf(
  authority: Authority,
  role: string,
  coordinate: string,
  purpose: Purpose,
): AccessEntry {
  const [type, field] = coordinate.split(".") as [string, string];
  return accessOfVerdict(verdictFor(authority, contextFor(authority, role, purpose), type, field));
}

/** The fields an agency owns ("Type.field"), in supergraph order: the ones its file governs. */
export function agencyFields(policy: PolicySet, agency: string): string[] {
  return [...policy.owners].filter(([, owner]) => owner === agency).map(([c]) => c);
}

export interface MatrixCell {
  role: string;
  outside: Access;
  inEnquiry: Access;
  breakGlass: Access;
  /** The condition(s) of the conditional purposes, labelled when they differ. */
  condition: string | null;
  rules: string[];
}

export interface PolicyMatrix {
  roles: string[];
  rows: { field: string; cells: MatrixCell[] }[];
}

const LABEL: Record<Purpose, string> = {
  outside: "outside an enquiry",
  inEnquiry: "in an enquiry",
  breakGlass: "with break glass",
};

/** Roles x the agency's fields x purposes, straight from the abilities enforcement uses. */
export function agencyMatrix(authority: Authority, agency: string): PolicyMatrix {
  const roles = [...authority.policy.roles.keys()];
  const rows = agencyFields(authority.policy, agency).map((field) => ({
    field,
    cells: roles.map((role): MatrixCell => {
      const entries = PURPOSES.map((p) => [p, accessOf(authority, role, field, p)] as const);
      const conditional = entries.filter(([, e]) => e.condition !== null);
      const texts = new Set(conditional.map(([, e]) => e.condition));
      const condition =
        texts.size === 0
          ? null
          : texts.size === 1
            ? (conditional[0]?.[1].condition ?? null)
            : conditional.map(([p, e]) => `${LABEL[p]}: ${e.condition}`).join("; ");
      const [outside, inEnquiry, breakGlass] = entries.map(([, e]) => e.access) as [
        Access,
        Access,
        Access,
      ];
      const rules = [...new Set(entries.flatMap(([, e]) => e.rules))];
      return { role, outside, inEnquiry, breakGlass, condition, rules };
    }),
  }));
  return { roles, rows };
}
