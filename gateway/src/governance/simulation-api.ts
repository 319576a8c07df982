import { GraphQLError, type GraphQLSchema } from "graphql";
import type { Authority } from "../authz/ability.ts";
import type { StatedEnquiry } from "../authz/judge.ts";
import { PurposeError } from "../authz/purpose.ts";
import type { Officer } from "./officer.ts";
import type { Resolvers } from "./resolvers.ts";
import { type RunAs, SimulationInputError, simulate } from "./simulate.ts";

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

interface SimulationArgs {
  input: {
    role: string;
    subjectId: string;
    enquiryId?: string | null;
    breakGlass?: boolean | null;
    text?: string | null;
  };
}

/** Query.simulate: a real enforcement run as another role, returned with every value masked. */
export function simulationResolvers(deps: {
  schema: () => GraphQLSchema | undefined;
  runAs: RunAs;
  resolveEnquiry: (id: string, requestId: string) => Promise<StatedEnquiry>;
  authorityFor: AuthorityFor;
}): Resolvers {
  return {
    Query: {
      async simulate(_, args, context) {
        const { input } = args as unknown as SimulationArgs;
        const candidate = deps.authorityFor(context.officer, input.text ?? undefined);
        if (!candidate.authority)
          return { problems: candidate.problems, inEnquiry: false, fields: [] };
        const schema = deps.schema();
        if (!schema)
          throw new GraphQLError("The graph's schema is not loaded yet.", {
            extensions: { code: "UNAVAILABLE" },
          });
        let enquiry: StatedEnquiry | undefined;
        if (input.enquiryId) {
          try {
            enquiry = await deps.resolveEnquiry(input.enquiryId, context.requestId);
          } catch (error) {
            if (error instanceof PurposeError)
              throw new GraphQLError(error.message, {
                extensions: { code: error.status === 400 ? "BAD_USER_INPUT" : "UNAVAILABLE" },
              });
            throw error;
          }
        }
        try {
          const run = await simulate({
            schema,
            authority: candidate.authority,
            role: input.role,
            subjectId: input.subjectId,
            enquiry,
            breakGlass: input.breakGlass === true,
            runAs: deps.runAs,
          });
          return { problems: [], ...run };
        } catch (error) {
          if (error instanceof SimulationInputError)
            throw new GraphQLError(error.message, { extensions: { code: "BAD_USER_INPUT" } });
          throw error;
        }
      },
    },
  };
}
