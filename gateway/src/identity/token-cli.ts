import { ConfigError } from "@mash/kit";
import { loadIdentityConfig } from "./config.ts";
import { developmentOnly, issueDevToken } from "./issue-dev-token.ts";
import { parseTokenArgs, TOKEN_USAGE, TokenArgsError } from "./token-args.ts";

/**
 * `npm run --silent token -- <username>`: a development token for a fixture user;
 * `-- --sub <id> --roles <r,...> --agency <agency> [--name <name>]`: one for any identity.
 * Only the token goes to stdout, so `$(npm run --silent token -- ...)` captures just it.
 */
try {
  const config = loadIdentityConfig(process.env);
  // Refused before the arguments are read: the same answer for every form of them.
  const { exitCode, message } =
    developmentOnly(config) ??
    (await issueDevToken({ config, request: parseTokenArgs(process.argv.slice(2)) }));
  (exitCode === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exitCode = exitCode;
} catch (error) {
  if (error instanceof TokenArgsError) {
    process.stderr.write(`token: ${error.message}\n${TOKEN_USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `token: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`,
  );
  process.exit(1);
}
