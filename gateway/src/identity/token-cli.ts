import { ConfigError, type DevUser } from "@mash/kit";
import { ensureDataDir } from "../data-dir.ts";
import { loadIdentityConfig } from "./config.ts";
import { loadDevSigningKey } from "./dev-keys.ts";
import { devUsers, signDevToken } from "./dev-tokens.ts";
import { devUserOf, parseTokenArgs, TOKEN_USAGE, TokenArgsError } from "./token-args.ts";

/**
 * `npm run --silent token -- <username>`: a development token for a fixture user;
 * `-- --sub <id> --roles <r,...> --agency <agency> [--name <name>]`: one for any identity.
 * Only the token goes to stdout, so `$(npm run --silent token -- ...)` captures just it.
 */
try {
  const config = loadIdentityConfig(process.env);
  // Checked first, and the same for both forms: with a real identity provider there is no
  // development sign-in for anyone, fixture user or not.
  if (config.mode !== "development") {
    process.stderr.write(
      "token: refused; the gateway trusts an external identity provider (MASH_AUTH_ISSUER). Sign in there.\n",
    );
    process.exit(1);
  }
  let user: DevUser | undefined;
  const request = parseTokenArgs(process.argv.slice(2));
  if (request.kind === "identity") {
    user = devUserOf(request);
  } else {
    const users = devUsers();
    user = users.find((u) => u.username === request.username);
    if (!user) {
      process.stderr.write(
        `token: ${request.username ? `no development user "${request.username}"` : "name a development user"}. Users: ${users.map((u) => u.username).join(", ")}\n${TOKEN_USAGE}\n`,
      );
      process.exit(2);
    }
  }
  ensureDataDir(config.dataDir);
  const key = await loadDevSigningKey(config.dataDir);
  process.stdout.write(
    `${await signDevToken(key, user, { audience: config.audience, claims: config.claims })}\n`,
  );
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
