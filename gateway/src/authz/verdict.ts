import type { AbilityContext, Authority } from "./ability.ts";
import type { AgencyContact, Conditions, PolicyRule } from "./policy/types.ts";

export interface Branch {
  conditions: Conditions;
  allowed: boolean;
  rule: PolicyRule;
}

/** What a policy says of a field before seeing any object: the answer explain and the matrix give. */
export interface Verdict {
  /** Conditional branches, in the order CASL tries them (the rule written last first). */
  branches: Branch[];
  /** What holds when no branch matches: an unconditional rule, or default deny. */
  otherwise: { allowed: boolean; rule: PolicyRule | undefined };
}

export function verdictFor(
  authority: Authority,
  ctx: AbilityContext,
  type: string,
  field: string,
): Verdict {
  const ability = authority.ability(ctx);
  const branches: Branch[] = [];
  for (const rule of ability.rulesFor("read", type, field)) {
    const policyRule = authority.policyRuleOf(rule.origin);
    if (!policyRule) continue;
    if (rule.conditions) {
      branches.push({
        conditions: rule.conditions as Conditions,
        allowed: !rule.inverted,
        rule: policyRule,
      });
      continue;
    }
    return { branches, otherwise: { allowed: !rule.inverted, rule: policyRule } };
  }
  return { branches, otherwise: { allowed: false, rule: undefined } };
}

export const describeConditions = (c: Conditions) =>
  Object.entries(c)
    .map(([k, v]) =>
      v !== null && typeof v === "object"
        ? Object.entries(v as Record<string, unknown>)
            .map(([op, x]) => `${k} ${op.slice(1)} ${JSON.stringify(x)}`)
            .join(" and ")
        : `${k} = ${JSON.stringify(v)}`,
    )
    .join(" and ");

/** "Police MASH desk, 01632 960001, mash.police@example.invalid": whom a refused reader asks. */
export const describeContact = (c: AgencyContact) =>
  [c.name, c.phone, c.email].filter((part) => part !== undefined).join(", ");
