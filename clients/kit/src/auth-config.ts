/**
 * How a gateway's browser apps sign people in, as GET /auth/config tells them. Shared by the
 * gateway (which answers it) and the apps (which read it); imports nothing.
 */

export const AUTH_CONFIG_PATH = "/auth/config";

/** Which ID token claims carry the display name, agency and roles (MASH_AUTH_CLAIM_*). */
export interface ClaimNames {
  readonly name: string;
  readonly agency: string;
  readonly roles: string;
}

/** What a browser app needs to sign in through the organisation's identity provider. */
export interface OidcClientConfig {
  readonly issuer: string;
  readonly clientId: string;
  /** Space-separated, "openid" among them. */
  readonly scopes: string;
  readonly claims: ClaimNames;
}

export type AuthConfig =
  /** Fixture users through /dev/users and /dev/token. */
  | { readonly mode: "development" }
  /** Authorization code with PKCE against the provider. */
  | ({ readonly mode: "oidc" } & OidcClientConfig)
  /** An identity provider but no browser client configured: people bring their own token. */
  | { readonly mode: "external" };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string" && value !== "";

/** Reads the answer of GET /auth/config; throws saying what was wrong with it. */
export function parseAuthConfig(body: unknown): AuthConfig {
  if (!isRecord(body)) throw new Error(`GET ${AUTH_CONFIG_PATH} did not answer a JSON object`);
  if (body.mode === "development" || body.mode === "external") return { mode: body.mode };
  if (body.mode !== "oidc")
    throw new Error(`GET ${AUTH_CONFIG_PATH} gave an unknown mode ${JSON.stringify(body.mode)}`);
  const { issuer, clientId, scopes, claims } = body;
  if (!isText(issuer) || !isText(clientId) || !isText(scopes))
    throw new Error(`GET ${AUTH_CONFIG_PATH} lacks the issuer, client id or scopes`);
  const names = isRecord(claims) ? claims : {};
  return {
    mode: "oidc",
    issuer,
    clientId,
    scopes,
    claims: {
      name: isText(names.name) ? names.name : "name",
      agency: isText(names.agency) ? names.agency : "agency",
      roles: isText(names.roles) ? names.roles : "roles",
    },
  };
}

/**
 * Asks the gateway how to sign in. A gateway that does not serve the route (older, or not wired)
 * answers 404: the caller then learns the mode as before, from whether /dev/users exists.
 */
export async function fetchAuthConfig(signal?: AbortSignal): Promise<AuthConfig | undefined> {
  const response = await fetch(AUTH_CONFIG_PATH, {
    headers: { accept: "application/json" },
    credentials: "same-origin",
    signal,
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${AUTH_CONFIG_PATH} answered HTTP ${response.status}`);
  return parseAuthConfig(await response.json());
}
