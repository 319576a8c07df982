import type { GraphQLError } from "graphql";
import type { Authority } from "../authz/ability.ts";
import {
  createJudge,
  type RequestAuthorization,
  type StatedEnquiry,
  takesPart,
} from "../authz/judge.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import { agencyFields, type Purpose } from "./matrix.ts";
import { conditionAttributes, misfit, type RecordSchema } from "./record-attributes.ts";

/**
 * The person a hypothetical record hangs under. It is no one's id: a simulation never names,
 * reads or fetches a real person, so nothing it answers can be about one.
 */
export const HYPOTHETICAL_PERSON = "(hypothetical person)";
const HYPOTHETICAL_ENQUIRY = "(hypothetical enquiry)";

/** A record an officer describes: who asks, for which purpose, and what the record says. */
export interface RecordQuestion {
  roles: readonly string[];
  purpose: Purpose;
  /** One of the agency's types. */
  type: string;
  /** Values of the fields rules read in their conditions on the type; one not given is null. */
  attributes: Readonly<Record<string, unknown>>;
}

export interface FieldVerdict {
  /** "Intelligence.summary". */
  field: string;
  visible: boolean;
  /** The rule that decides, or default-deny. */
  rule: string;
  /** A visible field's rule description; for a withheld one, what the requester is told. */
  reason: string;
  /** The rule a withheld field's error names: default-deny when naming `rule` would tell a value. */
  toldRule: string | null;
}

export interface RecordVerdict {
  /** The purpose took effect: in an enquiry only for a role of an agency, under a person. */
  inEnquiry: boolean;
  /** The glass was broken: only for a role roles.yaml lets break it. */
  breakGlass: boolean;
  /** In a list, an item like this is shown; false when it is left out as if it did not exist. */
  listed: boolean;
  /** The rule withholding the value that leaves it out of lists. */
  unlistedBy: string | null;
  fields: FieldVerdict[];
}

export class SimulationInputError extends Error {
  /** Which part of the question is wrong: ["roles"], ["type"], ["attributes", "handlingCode"]. */
  constructor(
    message: string,
    readonly at: (string | number)[] = [],
  ) {
    super(message);
    this.name = "SimulationInputError";
  }
}

/** The agency's types and its own fields of each ("Intelligence" -> ["id", "grading", ...]). */
export function agencyTypes(policy: PolicySet, agency: string): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const coordinate of agencyFields(policy, agency)) {
    const [type, field] = coordinate.split(".") as [string, string];
    types.set(type, [...(types.get(type) ?? []), field]);
  }
  return types;
}

/** Every way a question cannot be asked of this policy, each with the part it is about. */
export function questionProblems(
  policy: PolicySet,
  schema: RecordSchema,
  agency: string,
  question: RecordQuestion,
): SimulationInputError[] {
  const problems: SimulationInputError[] = [];
  if (question.roles.length === 0)
    problems.push(new SimulationInputError("name a role", ["roles"]));
  for (const role of question.roles)
    if (!policy.roles.has(role))
      problems.push(new SimulationInputError(`no role "${role}" in roles.yaml`, ["roles"]));
  const agencies = new Set(question.roles.flatMap((r) => policy.roles.get(r)?.agency ?? []));
  if (agencies.size > 1)
    problems.push(
      new SimulationInputError(
        `a requester belongs to one agency; these roles belong to ${[...agencies].join(", ")}`,
        ["roles"],
      ),
    );
  const types = agencyTypes(policy, agency);
  if (!types.has(question.type) || !schema.isObjectType(question.type)) {
    problems.push(
      new SimulationInputError(
        `"${question.type}" is not a type with fields of ${agency}'s (${[...types.keys()].join(", ")})`,
        ["type"],
      ),
    );
    return problems;
  }
  const kinds = new Map(
    conditionAttributes(policy, schema, question.type).map((k) => [k.field, k]),
  );
  for (const [field, value] of Object.entries(question.attributes)) {
    const kind = kinds.get(field);
    const bad = kind
      ? misfit(kind, value)
      : `no rule reads ${question.type}.${field} in its conditions${
          kinds.size
            ? ` (they read ${[...kinds.keys()].join(", ")})`
            : " (none reads any field of it)"
        }`;
    if (bad) problems.push(new SimulationInputError(bad, ["attributes", field]));
  }
  return problems;
}

/**
 * What each of the agency's fields of one hypothetical record would be for the question's
 * requester: the gateway's own judge (createJudge, as the result filter calls it) decides each
 * field and whether the item would be listed, and the ability it uses names the deciding rule.
 * Nothing here reads data: the record is the question's attributes, under a person who is no
 * one, in an enquiry that exists only for this question.
 */
export function judgeRecord(
  authority: Authority,
  schema: RecordSchema,
  agency: string,
  question: RecordQuestion,
): RecordVerdict {
  const { policy } = authority;
  const roles = [...question.roles];
  const requester = roles.map((r) => policy.roles.get(r)?.agency).find((a) => a !== undefined);
  const enquiry: StatedEnquiry | undefined =
    question.purpose === "outside" || requester === undefined
      ? undefined
      : {
          id: HYPOTHETICAL_ENQUIRY,
          open: true,
          subjects: new Set([HYPOTHETICAL_PERSON]),
          participants: new Set([requester]),
        };
  const authorization: RequestAuthorization = {
    roles,
    agency: requester,
    enquiry,
    breakGlass: question.purpose === "breakGlass" && authority.mayBreakGlass(roles),
  };
  const judge = createJudge(authority, authorization);
  // Root fields hang under no person, so no purpose reaches them (as in enforcement).
  const scope = schema.roots.has(question.type) ? undefined : HYPOTHETICAL_PERSON;
  const inEnquiry = scope !== undefined && takesPart(authorization);
  const ability = authority.ability({ roles, inEnquiry, breakGlass: authorization.breakGlass });
  // The record as the filter sees one: only the fields conditions read, null when not given.
  const record: Record<string, unknown> = {};
  for (const field of judge.conditionFields(question.type))
    record[field] = question.attributes[field] ?? null;

  const fields = (agencyTypes(policy, agency).get(question.type) ?? []).map(
    (field): FieldVerdict => {
      const decision = authority.decide(ability, question.type, field, record);
      let told: GraphQLError | undefined;
      try {
        judge.check(question.type, field, record, scope);
      } catch (error) {
        told = error as GraphQLError;
      }
      // The judge and its ability must agree; if they ever did not, say nothing rather than guess.
      if (decision.allowed === (told !== undefined))
        throw new Error(`The judge and its ability disagree on ${question.type}.${field}.`);
      const rule = decision.rule?.id ?? "default-deny";
      if (!told)
        return {
          field: `${question.type}.${field}`,
          visible: true,
          rule,
          reason: decision.rule?.description ?? "",
          toldRule: null,
        };
      return {
        field: `${question.type}.${field}`,
        visible: false,
        rule,
        reason: told.message,
        toldRule: String(told.extensions?.rule ?? "default-deny"),
      };
    },
  );
  const hidden = judge.concealment?.(question.type, record, scope);
  return {
    inEnquiry,
    breakGlass: authorization.breakGlass,
    listed: hidden === undefined,
    unlistedBy: hidden?.rule ?? null,
    fields,
  };
}

/** judgeRecord for a question checked first: a bad one is a SimulationInputError, never a guess. */
export function simulateRecord(
  authority: Authority,
  schema: RecordSchema,
  agency: string,
  question: RecordQuestion,
): RecordVerdict {
  const [problem] = questionProblems(authority.policy, schema, agency, question);
  if (problem) throw problem;
  return judgeRecord(authority, schema, agency, question);
}
