import { GraphQLError } from "graphql";
import type { RequestAuthorization, StatedEnquiry } from "../request/context.ts";
import type { Authority, Decision } from "./ability.ts";
import type { FieldJudge } from "./filter.ts";
import type { RewriteRules } from "./rewrite.ts";
import { createVerdictMemo, type VerdictMemo } from "./verdict-memo.ts";
import { onlyForOthers } from "./who-may.ts";

export type { RequestAuthorization, StatedEnquiry };

// Longer than most because a judge's shared parts and its per-request verdicts are one cache:
// what is built once per policy, roles and purpose sits beside the lookups that use it.

export const WITHHELD = "UNAUTHORIZED_FIELD_OR_TYPE";

const errorTemplates = new WeakMap<Authority, Map<string, GraphQLError>>();

/**
 * Purpose is earned: an open enquiry grants its purpose only to the agencies taking part in it
 * (the hub says which), never to a practitioner who merely names it.
 */
export function takesPart(request: RequestAuthorization): boolean {
  const { enquiry, agency } = request;
  return enquiry?.open === true && agency !== undefined && enquiry.participants.has(agency);
}

type Row = Record<string, unknown>;

/**
 * What the compiled result pass (filter-pass.ts) asks beyond FieldJudge: decisions with the
 * purpose already worked out, returned rather than thrown, and fixed ones once per field.
 */
export interface CompiledJudge {
  /** Whether the person `scope` names is linked to the request's open enquiry (and it counts). */
  inEnquiry(scope: string | undefined): boolean;
  /** True when no rule reads a condition on the type: an object cannot change a decision. */
  fixed(type: string): boolean;
  /** The withheld-field template for the field on this object, or undefined when it may be seen. */
  verdict(type: string, field: string, object: Row, inEnquiry: boolean): GraphQLError | undefined;
  /** Whether any rule applying in this purpose reads a condition on the type (concealment can hide). */
  mayConceal(type: string, inEnquiry: boolean): boolean;
  concealmentIn(
    type: string,
    object: Row,
    inEnquiry: boolean,
  ): { field: string; rule: string } | undefined;
  /** Verdicts remembered by the values conditions read (verdict-memo.ts). */
  memo: VerdictMemo;
  /**
   * False when no rule could allow the field for a person outside the request's purpose (as
   * mayAllow, with only the rules that need no enquiry): such people's fetches leave it out.
   */
  mayShowOutside(type: string, field: string): boolean;
}

export type Judge = FieldJudge & RewriteRules & CompiledJudge & { key: string };

/** What a judge knows apart from the request's enquiry: shared by every request with its key. */
type Core = Omit<Judge, "inEnquiry" | "check" | "concealment" | "key"> & { linked: boolean };

/** Judges' shared parts per policy: bounded by the role sets seen (one per key). */
const cores = new WeakMap<Authority, Map<string, Core>>();
const MAX_CORES = 256;

const keyOf = (authority: Authority, request: RequestAuthorization) =>
  `${authority.policy.version}|${[...request.roles].sort().join(",")}|${takesPart(request) ? "E" : "-"}|${request.breakGlass ? "B" : "-"}`;

/**
 * Everything enforcement needs for one request, from the abilities that can apply to it: the one
 * for people outside the stated enquiry and, when an open enquiry is stated, the one for people
 * it links. What does not depend on the enquiry's people is built once per key and shared.
 */
export function createJudge(authority: Authority, request: RequestAuthorization): Judge {
  const key = keyOf(authority, request);
  let byKey = cores.get(authority);
  if (!byKey) {
    byKey = new Map();
    cores.set(authority, byKey);
  }
  let core = byKey.get(key);
  if (!core) {
    core = createCore(authority, request);
    if (byKey.size >= MAX_CORES) byKey.delete(byKey.keys().next().value as string);
    byKey.set(key, core);
  }
  // A judge depends on its core and the enquiry's people alone: the hub's answer is one object
  // while it is cached (purpose.ts), so the requests stating it share one judge.
  let made = judgesOf.get(core);
  if (!made) {
    made = { none: undefined, by: new WeakMap() };
    judgesOf.set(core, made);
  }
  const enquiry = request.enquiry;
  const known = enquiry ? made.by.get(enquiry) : made.none;
  if (known) return known;
  const shared = core;
  const subjects = enquiry?.subjects;
  const inEnquiry = (scope: string | undefined) =>
    shared.linked && scope !== undefined && (subjects?.has(scope) ?? false);
  const judge: Judge = {
    ...shared,
    key,
    inEnquiry,
    concealment: (type, object, scope) => shared.concealmentIn(type, object, inEnquiry(scope)),
    check(type, field, object, scope) {
      const error = shared.verdict(type, field, object, inEnquiry(scope));
      if (error) throw error;
    },
  };
  if (enquiry) made.by.set(enquiry, judge);
  else made.none = judge;
  return judge;
}

/** The judges made on each core: one without an enquiry, one per enquiry object stated. */
const judgesOf = new WeakMap<
  Core,
  { none: Judge | undefined; by: WeakMap<StatedEnquiry, Judge> }
>();

function createCore(authority: Authority, request: RequestAuthorization): Core {
  const { policy } = authority;
  const base = { roles: [...request.roles], breakGlass: request.breakGlass };
  const outside = authority.ability({ ...base, inEnquiry: false });
  const linked = takesPart(request) ? authority.ability({ ...base, inEnquiry: true }) : undefined;
  const helpers = new Map<string, string[]>();
  const conditions = new Map<string, string[]>();
  const decided = new Map<string, Decision>();
  const concealing = new Map<string, boolean>();

  let templates = errorTemplates.get(authority);
  if (!templates) {
    templates = new Map<string, GraphQLError>();
    errorTemplates.set(authority, templates);
  }
  const cache = templates;

  // One template per (field, rule, purpose): each occurrence is a located copy of it (the
  // filter's), so a list of fifty people does not build fifty identical messages.
  const withheld = (
    type: string,
    field: string,
    decision: Decision,
    inEnquiry: boolean,
  ): GraphQLError => {
    // A role no rule gives the field to in any purpose is told who may have it instead.
    const others = decision.rule ? undefined : onlyForOthers(authority, base.roles, type, field);
    const key = `${type}.${field}|${decision.rule?.id ?? ""}|${inEnquiry ? 1 : 0}|${others ? 1 : 0}`;
    let error = cache.get(key);
    if (!error) {
      const owner = policy.owners.get(`${type}.${field}`) ?? policy.hub;
      const agency = policy.agencies.get(owner);
      const title = agency?.title ?? owner;
      const reason =
        decision.rule?.reason ??
        others ??
        `The sharing agreement does not give your role this part of ${title}'s data${inEnquiry ? "" : " without an open enquiry that links this person and in which your agency takes part"}. Ask ${title}.`;
      // The contact is the owner's one frozen object (the loader's): it depends on the field's
      // owner alone, never on the object, so withholding reads the same whatever was withheld.
      const contact = agency?.contact;
      // Frozen: every occurrence shares it, and its JSON is written once per answer text.
      error = new GraphQLError(reason, {
        extensions: Object.freeze({
          code: WITHHELD,
          rule: decision.rule?.id ?? "default-deny",
          reason,
          owner,
          ...(contact ? { contact } : {}),
        }),
      });
      cache.set(key, error);
    }
    return error;
  };

  const { scope } = policy;
  const mayAllowOn = (type: string, field: string) =>
    authority.mayAllow(outside, type, field) ||
    (linked !== undefined && authority.mayAllow(linked, type, field));
  // On an interface or union, a field may be seen if it may be seen on some member: each
  // object is then judged as the concrete type it is. Remembered: the rewrite, the plan guard
  // and the fetches' narrowing ask on every request.
  const onSomeMember = (decide: (type: string, field: string) => boolean) => {
    const remembered = new Map<string, boolean>();
    return (type: string, field: string) => {
      const key = `${type}.${field}`;
      let allowed = remembered.get(key);
      if (allowed === undefined) {
        const members = policy.possibleTypes.get(type);
        allowed = members ? members.some((member) => decide(member, field)) : decide(type, field);
        remembered.set(key, allowed);
      }
      return allowed;
    };
  };
  const readsAll = (
    ability: ReturnType<Authority["ability"]>,
    type: string,
    fields: readonly string[],
    object: Row,
  ) => fields.every((f) => authority.decide(ability, type, f, object).allowed);
  const abilityFor = (inEnquiry: boolean) => (inEnquiry && linked !== undefined ? linked : outside);

  const conditionFields = (type: string) => {
    let list = conditions.get(type);
    if (!list) {
      list = [...(policy.conditionFields.get(type) ?? [])];
      conditions.set(type, list);
    }
    return list;
  };
  return {
    linked: linked !== undefined,
    memo: createVerdictMemo(conditionFields),
    scopeType: scope?.type,
    scopeKey: scope?.key,
    scopeFlag: scope?.flag,
    mayAllow: onSomeMember(mayAllowOn),
    mayShowOutside: onSomeMember((type, field) => authority.mayAllow(outside, type, field)),
    helperFields(type) {
      let list = helpers.get(type);
      if (!list) {
        const own =
          scope && type === scope.type ? [scope.key, ...(scope.flag ? [scope.flag] : [])] : [];
        list = [...new Set([...own, ...(policy.conditionFields.get(type) ?? [])])];
        helpers.set(type, list);
      }
      return list;
    },
    conditionFields,
    ownerOf(type, field) {
      const agency = policy.owners.get(`${type}.${field}`) ?? policy.hub;
      const def = policy.agencies.get(agency);
      return { agency, title: def?.title ?? agency, subgraphs: def?.subgraphs ?? [agency] };
    },
    fixed: (type) => !policy.conditionFields.has(type),
    mayConceal(type, inEnquiry) {
      const key = `${inEnquiry ? 1 : 0}${type}`;
      let may = concealing.get(key);
      if (may === undefined) {
        may = authority.conditionFieldsIn({ ...base, inEnquiry }, type).length > 0;
        concealing.set(key, may);
      }
      return may;
    },
    concealmentIn(type, object, inEnquiry) {
      const fields = authority.conditionFieldsIn({ ...base, inEnquiry }, type);
      if (fields.length === 0) return undefined;
      const ability = abilityFor(inEnquiry);
      for (const field of fields) {
        const decision = authority.decide(ability, type, field, object);
        if (!decision.allowed) return { field, rule: decision.rule?.id ?? "default-deny" };
      }
      return undefined;
    },
    verdict(type, field, object, inEnquiry) {
      const ability = abilityFor(inEnquiry);
      // Without conditions on the type, the object cannot change the answer: decide once per
      // field and purpose, not once per person in a list.
      const fixed = !policy.conditionFields.has(type);
      const key = fixed ? `${inEnquiry ? 1 : 0}${type}.${field}` : "";
      let decision = fixed ? decided.get(key) : undefined;
      if (!decision) {
        decision = authority.decide(ability, type, field, object);
        if (fixed) decided.set(key, decision);
      }
      if (decision.allowed) return undefined;
      // A rule that decided on the object's values may be named (its reason may describe them)
      // only to a requester who can read every value it read; to anyone else it would tell the
      // withheld value, so they get the neutral refusal every unconditional withholding gets.
      const said = decision.rule?.conditions
        ? readsAll(ability, type, decision.rule.conditionFields, object)
        : true;
      return withheld(
        type,
        field,
        said ? decision : { allowed: false, rule: undefined },
        inEnquiry,
      );
    },
  };
}
