import type { IncomingMessage, ServerResponse } from "node:http";
import { AUTH_CONFIG_PATH, type AuthConfig } from "@mash/client-kit/auth-config";
import { sendJson } from "@mash/kit/http";
import type { IdentityConfig } from "../identity/config.ts";

/** What GET /auth/config tells the browser apps: nothing secret (a public client has none). */
export function authConfigOf(identity: IdentityConfig): AuthConfig {
  if (identity.mode === "development") return { mode: "development" };
  if (!identity.browserClient) return { mode: "external" };
  return {
    mode: "oidc",
    issuer: identity.issuer,
    clientId: identity.browserClient.clientId,
    scopes: identity.browserClient.scopes,
    claims: identity.claims,
  };
}

/**
 * The origin the apps' Content-Security-Policy must let them call (connect-src) for discovery,
 * token and revocation requests: the issuer's, when the browser signs in through it.
 */
export function identityProviderOrigin(identity: IdentityConfig): string | undefined {
  return identity.mode === "external" && identity.browserClient
    ? new URL(identity.issuer).origin
    : undefined;
}

/** GET /auth/config: how the console, the governance console and the workspace sign people in. */
export function authConfigRoute(identity: IdentityConfig) {
  const body = authConfigOf(identity);
  return (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    if (path !== AUTH_CONFIG_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
    sendJson(res, 200, body);
    return true;
  };
}
