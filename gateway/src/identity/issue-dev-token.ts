import type { DevUser } from "@mash/kit";
import { ensureDataDir } from "../data-dir.ts";
import type { IdentityConfig } from "./config.ts";
import { loadDevSigningKey } from "./dev-keys.ts";
import { devUsers, signDevToken } from "./dev-tokens.ts";
import { devUserOf, TOKEN_USAGE, type TokenRequest } from "./token-args.ts";

/** 0 with the token (for stdout), 1 refused, 2 no such user (both for stderr). */
export interface DevTokenOutcome {
  exitCode: 0 | 1 | 2;
  message: string;
}

/**
 * The refusal when the gateway trusts an external identity provider: then there is no
 * development sign-in for anyone, fixture user or not. Undefined in development mode.
 */
export function developmentOnly(config: IdentityConfig): DevTokenOutcome | undefined {
  if (config.mode === "development") return undefined;
  return {
    exitCode: 1,
    message:
      "token: refused; the gateway trusts an external identity provider (MASH_AUTH_ISSUER). Sign in there.",
  };
}

/** A development token for a fixture user or for any identity, signed with the data dir's key. */
export async function issueDevToken(options: {
  config: IdentityConfig;
  request: TokenRequest;
}): Promise<DevTokenOutcome> {
  const { config, request } = options;
  const refused = developmentOnly(config);
  if (refused) return refused;
  let user: DevUser | undefined;
  if (request.kind === "identity") {
    user = devUserOf(request);
  } else {
    const users = devUsers();
    user = users.find((u) => u.username === request.username);
    if (!user)
      return {
        exitCode: 2,
        message: `token: ${request.username ? `no development user "${request.username}"` : "name a development user"}. Users: ${users.map((u) => u.username).join(", ")}\n${TOKEN_USAGE}`,
      };
  }
  ensureDataDir(config.dataDir);
  const key = await loadDevSigningKey(config.dataDir);
  return {
    exitCode: 0,
    message: await signDevToken(key, user, { audience: config.audience, claims: config.claims }),
  };
}
