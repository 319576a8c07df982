import {
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  type RawRuleOf,
  subject,
} from "@casl/ability";
import { Lru } from "../limits/lru.ts";
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
 * Abilities kept per policy. A key is a set of the policy's roles with a purpose (in an enquiry or
 * not, glass broken or not), so the key space is every subset of the roles times four: far more
 * than are in use (tokens carry a role or two), and unbounded memory if it were all kept. 256 hold
 * every combination a day's users bring; one dropped is compiled again at its next request.
 */
export const MAX_ABILITIES = 256;

/** An ability, with what its rules' conditions read per type (filled as types are asked about). */
interface Compiled {
  ability: Ability;
  conditionFields: Map<string, readonly string[]>;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Compiles a policy into CASL abilities, one per (roles, in enquiry, break glass), built once and
 * kept (up to `MAX_ABILITIES`, least recently used out): a request does not rebuild rules, and a
 * field check is one CASL lookup. Only roles the policy knows are in a key: a token's other role
 * strings match no rule, so they neither change an ability nor make another cache entry.
 */
export class Authority {
  private readonly compiled: Lru<string, Compiled>;
  private readonly ruleOf = new WeakMap<object, PolicyRule>();
  /** Roles.yaml's roles and any a rule names: the only role strings that can change an ability. */
  private readonly knownRoles: ReadonlySet<string>;
  /** Types some rule with conditions targets: the only ones with condition fields. */
  private readonly conditionalTypes: ReadonlySet<string>;

  constructor(
    readonly policy: PolicySet,
    options: { maxAbilities?: number } = {},
  ) {
    this.compiled = new Lru({ max: options.maxAbilities ?? MAX_ABILITIES });
    this.knownRoles = new Set([...policy.roles.keys(), ...policy.rules.flatMap((r) => r.roles)]);
    this.conditionalTypes = new Set(
      policy.rules.flatMap((r) => (r.conditions ? r.targets.map((t) => t.type) : [])),
    );
  }

  /** How many abilities are kept now (for tests and the memory benchmark). */
  get keptAbilities(): number {
    return this.compiled.size;
  }

  ability(ctx: AbilityContext): Ability {
    return this.compiledFor(ctx).ability;
  }

  private compiledFor(ctx: AbilityContext): Compiled {
    const roles = [...new Set(ctx.roles)].filter((r) => this.knownRoles.has(r)).sort();
    const key = `${roles.join(",")}|${ctx.inEnquiry ? 1 : 0}|${ctx.breakGlass ? 1 : 0}`;
    return this.compiled.getOrSet(key, () => {
      const known = { ...ctx, roles };
      return {
        ability: createMongoAbility<Ability>(this.compile(known)),
        conditionFields: new Map(),
      };
    });
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
   * object of the type must let the requester read before its withholding may say why. Kept with
   * the context's ability, per type a conditional rule targets (a bounded set: the policy's).
   */
  conditionFieldsIn(ctx: AbilityContext, type: string): readonly string[] {
    if (!this.conditionalTypes.has(type)) return NONE;
    const compiled = this.compiledFor(ctx);
    let fields = compiled.conditionFields.get(type);
    if (!fields) {
      const set = new Set<string>();
      for (const rule of this.applying(ctx))
        if (rule.conditions && rule.targets.some((t) => t.type === type))
          for (const f of rule.conditionFields) set.add(f);
      fields = [...set];
      compiled.conditionFields.set(type, fields);
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
