import { GraphQLError } from "graphql";
import type { RequestAuthorization, StatedEnquiry } from "../request/context.ts";
import type { Authority, Decision } from "./ability.ts";
import type { FieldJudge } from "./filter.ts";
import type { RewriteRules } from "./rewrite.ts";
import { onlyForOthers } from "./who-may.ts";

export type { RequestAuthorization, StatedEnquiry };

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

/**
 * Everything enforcement needs for one request, from the abilities that can apply to it: the one
 * for people outside the stated enquiry and, when an open enquiry is stated, the one for people
 * it links.
 */
export function createJudge(
  authority: Authority,
  request: RequestAuthorization,
): FieldJudge & RewriteRules & { key: string } {
  const { policy } = authority;
  const base = { roles: request.roles, breakGlass: request.breakGlass };
  const outside = authority.ability({ ...base, inEnquiry: false });
  const linked = takesPart(request) ? authority.ability({ ...base, inEnquiry: true }) : undefined;
  const helpers = new Map<string, string[]>();
  const conditions = new Map<string, string[]>();
  const decided = new Map<string, Decision>();

  const templates = errorTemplates.get(authority) ?? new Map<string, GraphQLError>();
  errorTemplates.set(authority, templates);

  // One template per (field, rule, purpose): graphql-js copies it into a located error per
  // path, so a list of fifty people does not build fifty identical messages.
  const withheld = (
    type: string,
    field: string,
    decision: Decision,
    inEnquiry: boolean,
  ): GraphQLError => {
    // A role no rule gives the field to in any purpose is told who may have it instead.
    const others = decision.rule ? undefined : onlyForOthers(authority, request.roles, type, field);
    const key = `${type}.${field}|${decision.rule?.id ?? ""}|${inEnquiry ? 1 : 0}|${others ? 1 : 0}`;
    let error = templates.get(key);
    if (!error) {
      const owner = policy.owners.get(`${type}.${field}`) ?? policy.hub;
      const title = policy.agencies.get(owner)?.title ?? owner;
      const reason =
        decision.rule?.reason ??
        others ??
        `The sharing agreement does not give your role this part of ${title}'s data${inEnquiry ? "" : " without an open enquiry that links this person and in which your agency takes part"}. Ask ${title}.`;
      error = new GraphQLError(reason, {
        extensions: { code: WITHHELD, rule: decision.rule?.id ?? "default-deny", reason, owner },
      });
      templates.set(key, error);
    }
    return error;
  };

  const { scope } = policy;
  const mayAllowOn = (type: string, field: string) =>
    authority.mayAllow(outside, type, field) ||
    (linked !== undefined && authority.mayAllow(linked, type, field));
  const mayAllowAnywhere = new Map<string, boolean>();
  const inEnquiryFor = (scope: string | undefined) =>
    linked !== undefined && scope !== undefined && (request.enquiry?.subjects.has(scope) ?? false);
  const readsAll = (
    ability: ReturnType<Authority["ability"]>,
    type: string,
    fields: readonly string[],
    object: Record<string, unknown>,
  ) => fields.every((f) => authority.decide(ability, type, f, object).allowed);

  return {
    key: `${policy.version}|${[...request.roles].sort().join(",")}|${linked ? "E" : "-"}|${request.breakGlass ? "B" : "-"}`,
    scopeType: scope?.type,
    scopeKey: scope?.key,
    scopeFlag: scope?.flag,
    // On an interface or union, a field may be seen if it may be seen on some member: each
    // object is then judged as the concrete type it is.
    mayAllow(type, field) {
      const members = policy.possibleTypes.get(type);
      if (!members) return mayAllowOn(type, field);
      const key = `${type}.${field}`;
      let allowed = mayAllowAnywhere.get(key);
      if (allowed === undefined) {
        allowed = members.some((member) => mayAllowOn(member, field));
        mayAllowAnywhere.set(key, allowed);
      }
      return allowed;
    },
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
    conditionFields(type) {
      let list = conditions.get(type);
      if (!list) {
        list = [...(policy.conditionFields.get(type) ?? [])];
        conditions.set(type, list);
      }
      return list;
    },
    ownerOf(type, field) {
      const agency = policy.owners.get(`${type}.${field}`) ?? policy.hub;
      const def = policy.agencies.get(agency);
      return { agency, title: def?.title ?? agency, subgraphs: def?.subgraphs ?? [agency] };
    },
    concealment(type, object, scope) {
      const inEnquiry = inEnquiryFor(scope);
      const fields = authority.conditionFieldsIn({ ...base, inEnquiry }, type);
      if (fields.length === 0) return undefined;
      const ability = inEnquiry ? (linked as typeof outside) : outside;
      for (const field of fields) {
        const decision = authority.decide(ability, type, field, object);
        if (!decision.allowed) return { field, rule: decision.rule?.id ?? "default-deny" };
      }
      return undefined;
    },
    check(type, field, object, scope) {
      const inEnquiry = inEnquiryFor(scope);
      const ability = inEnquiry ? (linked as typeof outside) : outside;
      // Without conditions on the type, the object cannot change the answer: decide once per
      // field and purpose, not once per person in a list.
      const fixed = !policy.conditionFields.has(type);
      const key = fixed ? `${inEnquiry ? 1 : 0}${type}.${field}` : "";
      let decision = fixed ? decided.get(key) : undefined;
      if (!decision) {
        decision = authority.decide(ability, type, field, object);
        if (fixed) decided.set(key, decision);
      }
      if (decision.allowed) return;
      // A rule that decided on the object's values may be named (its reason may describe them)
      // only to a requester who can read every value it read; to anyone else it would tell the
      // withheld value, so they get the neutral refusal every unconditional withholding gets.
      const said = decision.rule?.conditions
        ? readsAll(ability, type, decision.rule.conditionFields, object)
        : true;
      throw withheld(type, field, said ? decision : { allowed: false, rule: undefined }, inEnquiry);
    },
  };
}
