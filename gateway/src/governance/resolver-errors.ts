import { GraphQLError } from "graphql";
import { GovernanceError } from "./lifecycle.ts";
import { problemViews } from "./policy-texts.ts";

export type Args = Record<string, unknown>;
export type Resolver = (parent: unknown, args: Args, context: unknown) => unknown;

const CODES: Record<GovernanceError["code"], string> = {
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  BAD_INPUT: "BAD_USER_INPUT",
  BAD_STATE: "BAD_STATE",
  INVALID_POLICY: "INVALID_POLICY",
};
/** A lifecycle refusal as the client sees it; anything else passes on to be masked and logged. */
export function toGraphQLError(error: unknown, ownFile?: string): unknown {
  if (!(error instanceof GovernanceError)) return error;
  return new GraphQLError(error.message, {
    extensions: {
      code: CODES[error.code],
      ...(error.problems.length ? { problems: problemViews(error.problems, ownFile) } : {}),
    },
  });
}

/** Wraps a resolver so a GovernanceError thrown anywhere in it reaches the client with its code. */
export const guarded =
  (fn: Resolver): Resolver =>
  async (parent, args, context) => {
    try {
      return await fn(parent, args, context);
    } catch (error) {
      throw toGraphQLError(error);
    }
  };
