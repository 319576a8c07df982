import { ConfigError } from "../subgraphs/kit/src/errors.ts";

type Env = Record<string, string | undefined>;

const mentions = (message: string, setting: string) =>
  new RegExp(`(?<![A-Z0-9_])${setting}(?![A-Z0-9_])`).test(message);

/**
 * Every problem a parser of settings finds, though it throws at its first: each ConfigError's
 * message, the parser being run again without the setting it named, until it passes. A problem
 * that names or mentions a setting taken away may be the taking away's doing (a key without its
 * certificate, keys required once MASH_AUTH_JWKS is gone), so the list ends before it. A problem
 * with a setting that is not set (MASH_AUTH_ISSUER, required in production) ends it too, after
 * it: there is nothing to take away. Errors other than ConfigError are the parser's own faults,
 * and are thrown.
 */
export async function configErrors(parse: (env: Env) => unknown, env: Env): Promise<string[]> {
  const problems: string[] = [];
  const removed: string[] = [];
  const rest: Env = { ...env };
  for (;;) {
    try {
      await parse(rest);
      return problems;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const consequence = removed.some(
        (setting) => setting === error.setting || mentions(error.message, setting),
      );
      if (consequence) return problems;
      problems.push(error.message);
      if (rest[error.setting] === undefined) return problems;
      delete rest[error.setting];
      removed.push(error.setting);
    }
  }
}
