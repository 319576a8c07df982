import { ConfigError } from "@mash/kit";
import { loadIdentityConfig } from "./config.ts";
import { loadDevSigningKey } from "./dev-keys.ts";
import { devUsers, signDevToken } from "./dev-tokens.ts";

/** `npm run --silent token -- <username>`: a development token for a fixture user. */
const username = process.argv[2];
try {
  const config = loadIdentityConfig();
  if (config.mode !== "development") {
    process.stderr.write(
      "token: refused; the gateway trusts an external identity provider (MASH_AUTH_ISSUER). Sign in there.\n",
    );
    process.exit(1);
  }
  const users = devUsers();
  const user = users.find((u) => u.username === username);
  if (!user) {
    process.stderr.write(
      `token: ${username ? `no development user "${username}"` : "name a development user"}. Users: ${users.map((u) => u.username).join(", ")}\n`,
    );
    process.exit(2);
  }
  process.stdout.write(`${await signDevToken(await loadDevSigningKey(config.dataDir), user)}\n`);
} catch (error) {
  process.stderr.write(
    `token: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`,
  );
  process.exit(1);
}
