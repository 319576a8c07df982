import {
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  type RawRuleOf,
  subject,
} from "@casl/ability";
import type { PolicyRule, PolicySet } from "./policy/types.ts";

/** Subjects are GraphQL type names, or objects tagged with theirs. */
type Ability = MongoAbility<["read", string | (Record<string, unknown> & ForcedSubject<string>)]>;

/** What varies between requests and changes what a role may see. */
export interface AbilityContext {
  roles: readonly string[];
  /** The person above the field is linked to the open enquiry the request states. */
  inEnquiry: boolean;
  /** A role allowed to break the glass gave a valid reason. */
  breakGlass: boolean;
}

export interface Decision {
  allowed: boolean;
  /** The rule that decided; undefined when no rule applies (default deny). */
  rule: PolicyRule | undefined;
}

/**
 * Compiles a policy into CASL abilities, one per (roles, in enquiry, break glass), built once and
 * cached: a request never rebuilds rules, and a field check is one CASL lookup.
 */
export class Authority {
  private readonly cache = new Map<string, Ability>();
  private readonly hidden = new Map<string, readonly string[]>();
  private readonly ruleOf = new WeakMap<object, PolicyRule>();

  constructor(readonly policy: PolicySet) {}

  ability(ctx: AbilityContext): Ability {
    const key = `${[...ctx.roles].sort().join(",")}|${ctx.inEnquiry ? 1 : 0}|${ctx.breakGlass ? 1 : 0}`;
    let ability = this.cache.get(key);
    if (!ability) {
      ability = createMongoAbility<Ability>(this.compile(ctx));
      this.cache.set(key, ability);
    }
    return ability;
  }

  /** The policy rules that apply to these roles in this purpose. */
  private applying(ctx: AbilityContext): PolicyRule[] {
    return this.policy.rules.filter(
      (rule) =>
        rule.roles.some((r) => ctx.roles.includes(r)) &&
        (!rule.requires.enquiry || ctx.inEnquiry) &&
        (!rule.requires.breakGlass || ctx.breakGlass),
    );
  }

  /**
   * The fields that rules applying in this context read in their conditions on `type`: what an
   * object of the type must let the requester read before its withholding may say why.
   */
  conditionFieldsIn(ctx: AbilityContext, type: string): readonly string[] {
    const key = `${[...ctx.roles].sort().join(",")}|${ctx.inEnquiry ? 1 : 0}|${ctx.breakGlass ? 1 : 0}|${type}`;
    let fields = this.hidden.get(key);
    if (!fields) {
      const set = new Set<string>();
      for (const rule of this.applying(ctx))
        if (rule.conditions && rule.targets.some((t) => t.type === type))
          for (const f of rule.conditionFields) set.add(f);
      fields = [...set];
      this.hidden.set(key, fields);
    }
    return fields;
  }

  private compile(ctx: AbilityContext): RawRuleOf<Ability>[] {
    const raw: RawRuleOf<Ability>[] = [];
    for (const rule of this.applying(ctx)) {
      for (const target of rule.targets) {
        const compiled: RawRuleOf<Ability> = {
          action: "read",
          subject: target.type,
          fields: target.fields,
          inverted: rule.effect === "deny",
          ...(rule.conditions ? { conditions: rule.conditions } : {}),
        };
        this.ruleOf.set(compiled, rule);
        raw.push(compiled);
      }
    }
    return raw;
  }

  /** False only when no rule could allow the field for any object: safe to remove before planning. */
  mayAllow(ability: Ability, type: string, field: string): boolean {
    return ability.can("read", type, field);
  }

  /** The decision for one field of one object; `object` holds the fields conditions read. */
  decide(ability: Ability, type: string, field: string, object: Record<string, unknown>): Decision {
    const rule = ability.relevantRuleFor("read", subject(type, object), field);
    if (!rule) return { allowed: false, rule: undefined };
    return { allowed: !rule.inverted, rule: this.ruleOf.get(rule.origin) };
  }

  /** The policy rule a compiled CASL rule came from. */
  policyRuleOf(compiled: object): PolicyRule | undefined {
    return this.ruleOf.get(compiled);
  }

  /** Whether any of these roles may break the glass (roles.yaml). */
  mayBreakGlass(roles: readonly string[]): boolean {
    return roles.some((r) => this.policy.roles.get(r)?.breakGlass);
  }
}
