import { GraphQLError } from "graphql";
import type { Authority } from "../authz/ability.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import type { PolicyCase } from "../policy-tests/case-file.ts";
import { governedAgency } from "./lifecycle-types.ts";
import type { Purpose } from "./matrix.ts";
import type { Officer } from "./officer.ts";
import {
  type AttributeKind,
  conditionAttributes,
  type RecordSchema,
  readAttribute,
  showAttribute,
} from "./record-attributes.ts";
import type { GovernanceContext, Resolvers } from "./resolvers.ts";
import {
  agencyTypes,
  type RecordQuestion,
  SimulationInputError,
  simulateRecord,
} from "./simulate.ts";

export interface CandidateProblem {
  line?: number | null;
  rule?: string | null;
  message: string;
}

/** The policy to simulate under: the one in force, or the officer's candidate text for their agency. */
export type AuthorityFor = (
  officer: Officer,
  text: string | undefined,
) =>
  | { authority: Authority; problems: [] }
  | { authority: undefined; problems: CandidateProblem[] };

/** An agency's policy test cases, read against the policy in force, with the file's problems. */
export type CasesOf = (
  agency: string,
  policy: PolicySet,
) => { cases: PolicyCase[]; problems: CandidateProblem[] };

type ApiPurpose = "OUTSIDE" | "IN_ENQUIRY" | "BREAK_GLASS";
const PURPOSE: Record<ApiPurpose, Purpose> = {
  OUTSIDE: "outside",
  IN_ENQUIRY: "inEnquiry",
  BREAK_GLASS: "breakGlass",
};
const API_PURPOSE = Object.fromEntries(
  Object.entries(PURPOSE).map(([api, purpose]) => [purpose, api]),
) as Record<Purpose, ApiPurpose>;

interface SimulationArgs {
  input: {
    roles?: string[] | null;
    role?: string | null;
    purpose: ApiPurpose;
    type: string;
    attributes?: { field: string; value?: string | null }[] | null;
    text?: string | null;
  };
}

const badInput = (message: string, field?: string) =>
  new GraphQLError(message, {
    extensions: { code: "BAD_USER_INPUT", ...(field ? { field } : {}) },
  });

/** The input's attribute texts read as their fields' kinds; an unknown field is left as text for the check to name. */
function attributesOf(
  input: SimulationArgs["input"],
  kinds: readonly AttributeKind[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { field, value } of input.attributes ?? []) {
    if (field in values) throw badInput(`attribute ${field} is given twice`, field);
    const kind = kinds.find((k) => k.field === field);
    try {
      values[field] = kind ? readAttribute(kind, value ?? null) : (value ?? null);
    } catch (error) {
      throw badInput((error as Error).message, field);
    }
  }
  return values;
}

/**
 * Query.simulate and Query.simulationOptions: what a requester would see of a hypothetical
 * record, judged by the gateway's own judge under the policy in force or a candidate. No
 * subject id is taken, no subgraph is asked and nothing is read but the policy: the officer
 * supplies every value, so no answer can be about a real person.
 */
export function simulationResolvers(deps: {
  recordSchema: RecordSchema;
  inForce: () => Authority;
  authorityFor: AuthorityFor;
  casesOf: CasesOf;
}): Resolvers {
  const agencyOf = (context: GovernanceContext) => {
    try {
      return governedAgency(deps.inForce().policy, context.officer);
    } catch (error) {
      throw new GraphQLError((error as Error).message, { extensions: { code: "FORBIDDEN" } });
    }
  };
  const schema = deps.recordSchema;

  return {
    Query: {
      simulate(_, args, context) {
        const { input } = args as unknown as SimulationArgs;
        const agency = agencyOf(context);
        if (input.roles && input.role) throw badInput("give roles or role, not both", "roles");
        const roles = input.roles ?? (input.role ? [input.role] : []);
        const echo = { type: input.type, roles, purpose: input.purpose };
        const candidate = deps.authorityFor(context.officer, input.text ?? undefined);
        if (!candidate.authority)
          return {
            ...echo,
            problems: candidate.problems,
            inEnquiry: false,
            breakGlass: false,
            attributes: [],
            listed: false,
            unlistedBy: null,
            fields: [],
          };
        const kinds = conditionAttributes(candidate.authority.policy, schema, input.type);
        const question: RecordQuestion = {
          roles,
          purpose: PURPOSE[input.purpose],
          type: input.type,
          attributes: attributesOf(input, kinds),
        };
        try {
          const verdict = simulateRecord(candidate.authority, schema, agency, question);
          return {
            ...echo,
            problems: [],
            ...verdict,
            attributes: kinds.map((k) => ({
              field: k.field,
              value: showAttribute(question.attributes[k.field]),
            })),
          };
        } catch (error) {
          if (error instanceof SimulationInputError)
            throw badInput(error.message, error.at.join(".") || undefined);
          throw error;
        }
      },

      simulationOptions(_, args, context) {
        const agency = agencyOf(context);
        const inForce = deps.inForce();
        const text = typeof args.text === "string" ? args.text : undefined;
        // The candidate's conditions when it loads, so the form asks for what it reads.
        const policy =
          (text !== undefined && deps.authorityFor(context.officer, text).authority?.policy) ||
          inForce.policy;
        const { cases, problems } = deps.casesOf(agency, inForce.policy);
        const types = [...agencyTypes(policy, agency)]
          .filter(([type]) => schema.isObjectType(type))
          .map(([type, fields]) => ({
            type,
            fields,
            attributes: conditionAttributes(policy, schema, type),
            examples: cases
              .filter((c) => c.question.type === type)
              .map((c) => ({
                name: c.name,
                roles: c.question.roles,
                purpose: API_PURPOSE[c.question.purpose],
                attributes: Object.entries(c.question.attributes).map(([field, value]) => ({
                  field,
                  value: showAttribute(value),
                })),
              })),
          }));
        return { types, testProblems: problems };
      },
    },
  };
}
