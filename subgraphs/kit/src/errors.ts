import { GraphQLError } from "graphql";

/** Configuration that cannot work: names the setting, the value's problem and what is expected. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = "ConfigError";
  }
}

/**
 * A client mistake in arguments. `field` points at the argument that was wrong so a frontend can
 * put the message beside the right input.
 */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "BAD_USER_INPUT", ...(field ? { field } : {}) },
  });
}
