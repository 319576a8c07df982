/**
 * OpenID Connect sign-in for the browser apps: authorization code with PKCE (S256) as a public
 * client, renewal with the refresh token (rotated by the provider), and sign-out at the
 * provider's end_session_endpoint. Tokens are returned to the caller to keep in memory; only
 * the one-use values of a sign-in in progress (state, nonce, code verifier) are kept in
 * sessionStorage, because they must outlive the page's trip to the provider, and are removed as
 * soon as the page is back.
 */
import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import type { ProviderMetadata } from "./discovery.ts";
import { checkIdToken, type SignedInUser, userFromClaims } from "./id-token.ts";
import { codeChallengeS256, randomToken } from "./pkce.ts";

export interface TokenSet {
  /** `Bearer <access token>`, for the Authorization header. */
  readonly authorization: string;
  readonly idToken: string;
  readonly refreshToken?: string;
  /** When the access token expires, in milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly user: SignedInUser;
}

export type SmallStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;
type Fetch = typeof fetch;

export const PENDING_KEY = "mash-oidc:pending";

interface Pending {
  /** The page's address when sign-in began (path, query, fragment), to return to. */
  readonly returnTo?: string;
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly redirectUri: string;
  readonly clientId: string;
}

/** The parameters a provider adds to the redirect URI; removed from the address bar once read. */
const CALLBACK_PARAMS = ["code", "state", "iss", "session_state", "error", "error_description"];

/**
 * Where the provider sends the browser back to: the page itself without query or fragment, or
 * `path` on its origin (an app with routes of its own registers one address, not each route).
 */
export function redirectUriOf(href: string, path?: string): string {
  const url = new URL(href);
  return `${url.origin}${path ?? url.pathname}`;
}

/** The page's address without the provider's callback parameters. */
export function withoutCallbackParams(href: string): string {
  const url = new URL(href);
  for (const name of CALLBACK_PARAMS) url.searchParams.delete(name);
  return url.toString();
}

/** Whether the address is the provider's answer to a sign-in (a code, or an error). */
export function isCallback(href: string): boolean {
  const params = new URL(href).searchParams;
  return params.has("state") && (params.has("code") || params.has("error"));
}

/**
 * The authorization request's URL, with the values to keep until the answer comes back. The
 * verifier never leaves the browser before the token request; the provider sees its hash.
 */
export async function authorizationRequest(
  config: OidcClientConfig,
  metadata: ProviderMetadata,
  redirectUri: string,
): Promise<{ url: string; pending: Pending }> {
  const pending: Pending = {
    state: randomToken(),
    nonce: randomToken(),
    verifier: randomToken(32),
    redirectUri,
    clientId: config.clientId,
  };
  const url = new URL(metadata.authorizationEndpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", config.scopes);
  url.searchParams.set("state", pending.state);
  url.searchParams.set("nonce", pending.nonce);
  url.searchParams.set("code_challenge", await codeChallengeS256(pending.verifier));
  url.searchParams.set("code_challenge_method", "S256");
  return { url: url.toString(), pending };
}

/**
 * Starts a sign-in: remembers the one-use values and where the page was, and sends the browser
 * to the provider, which sends it back to `redirectUri`.
 */
export async function beginSignIn(
  config: OidcClientConfig,
  metadata: ProviderMetadata,
  href: string,
  storage: SmallStorage,
  navigate: (url: string) => void,
  redirectUri: string = redirectUriOf(href),
): Promise<void> {
  const { url, pending } = await authorizationRequest(config, metadata, redirectUri);
  const here = new URL(withoutCallbackParams(href));
  const returnTo = `${here.pathname}${here.search}${here.hash}`;
  storage.setItem(PENDING_KEY, JSON.stringify({ ...pending, returnTo }));
  navigate(url);
}

/** Where to put the address bar after a sign-in: the page as it was, on this origin only. */
export function returnAddress(kept: string | undefined, href: string): string {
  const fallback = withoutCallbackParams(href);
  if (!kept?.startsWith("/") || kept.startsWith("//")) return fallback;
  return new URL(kept, href).origin === new URL(href).origin ? kept : fallback;
}

/** The token endpoint's refusal, with what renewal needs to tell a dead grant from a hiccup. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or undefined when the endpoint could not be reached. */
    readonly status?: number,
    /** The OAuth `error` code of the answer, when it gave one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "TokenEndpointError";
  }
}

async function tokenRequest(
  metadata: ProviderMetadata,
  body: URLSearchParams,
  fetcher: Fetch,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetcher(metadata.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      // The provider's cookies have no business with a token request from this origin.
      credentials: "omit",
    });
  } catch (error) {
    throw new TokenEndpointError(
      `Could not reach the identity provider's token endpoint: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const answer: unknown = await response.json().catch(() => undefined);
  const record =
    typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>) : {};
  if (!response.ok) {
    const why = [record.error, record.error_description].filter((part) => typeof part === "string");
    throw new TokenEndpointError(
      `The identity provider refused the token request (HTTP ${response.status}${why.length ? `: ${why.join(": ")}` : ""})`,
      response.status,
      typeof record.error === "string" ? record.error : undefined,
    );
  }
  return record;
}

function tokenSetFrom(
  answer: Record<string, unknown>,
  config: OidcClientConfig,
  expected: { nonce?: string; subject?: string; previous?: TokenSet },
  now: number,
): TokenSet {
  const {
    access_token: access,
    id_token: fresh,
    refresh_token: refresh,
    token_type: type,
  } = answer;
  if (typeof access !== "string" || access === "")
    throw new Error("The identity provider's answer has no access token");
  if (typeof type === "string" && type.toLowerCase() !== "bearer")
    throw new Error(`The identity provider issued a ${type} token, not a Bearer token`);
  const idToken = typeof fresh === "string" ? fresh : expected.previous?.idToken;
  if (!idToken) throw new Error("The identity provider's answer has no ID token (scope openid?)");
  const claims = checkIdToken(idToken, {
    issuer: config.issuer,
    clientId: config.clientId,
    nonce: typeof fresh === "string" ? expected.nonce : undefined,
    subject: expected.subject,
    now: typeof fresh === "string" ? now : Number.NEGATIVE_INFINITY,
  });
  const lifetime = typeof answer.expires_in === "number" ? answer.expires_in : undefined;
  // Without expires_in, a renewal that kept the old ID token has only that token's exp, which may
  // be past: the previous estimate is kept rather than one that asks for renewal at once.
  const expiresAt =
    lifetime !== undefined
      ? now + lifetime * 1000
      : typeof fresh !== "string" && expected.previous
        ? expected.previous.expiresAt
        : Number(claims.exp) * 1000;
  // With rotation the provider sends a new refresh token and the old one is spent; without, the
  // old one stays good.
  const refreshToken = typeof refresh === "string" ? refresh : expected.previous?.refreshToken;
  return {
    authorization: `Bearer ${access}`,
    idToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt,
    user: userFromClaims(claims, config.claims),
  };
}

/**
 * Completes a sign-in on the page the provider sent the browser back to: checks the state,
 * exchanges the code with the verifier, checks the ID token's nonce. The one-use values are
 * removed first, whatever happens next.
 */
export async function finishSignIn(
  config: OidcClientConfig,
  metadata: ProviderMetadata,
  href: string,
  storage: SmallStorage,
  fetcher: Fetch = fetch,
  now: () => number = Date.now,
): Promise<TokenSet & { readonly returnTo: string }> {
  const params = new URL(href).searchParams;
  const kept = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  const pending = kept ? (JSON.parse(kept) as Pending) : undefined;
  if (!pending || pending.state !== params.get("state"))
    throw new Error(
      "This sign-in answer does not belong to a sign-in started in this tab; sign in again",
    );
  const error = params.get("error");
  if (error) {
    const description = params.get("error_description");
    throw new Error(
      `The identity provider did not sign you in: ${error}${description ? `: ${description}` : ""}`,
    );
  }
  const iss = params.get("iss");
  if (iss !== null && iss !== config.issuer)
    throw new Error(`The sign-in answer came from ${iss}, not ${config.issuer}`);
  const answer = await tokenRequest(
    metadata,
    new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code") ?? "",
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }),
    fetcher,
  );
  const tokens = tokenSetFrom(answer, config, { nonce: pending.nonce }, now());
  return { ...tokens, returnTo: returnAddress(pending.returnTo, href) };
}

/** A new access token for the same user, with the refresh token; throws when there is none. */
export async function renewTokens(
  config: OidcClientConfig,
  metadata: ProviderMetadata,
  current: TokenSet,
  fetcher: Fetch = fetch,
  now: () => number = Date.now,
): Promise<TokenSet> {
  if (!current.refreshToken) throw new Error("The identity provider gave no refresh token");
  const answer = await tokenRequest(
    metadata,
    new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: current.refreshToken,
      client_id: config.clientId,
    }),
    fetcher,
  );
  return tokenSetFrom(answer, config, { subject: current.user.id, previous: current }, now());
}

/**
 * When to renew: a quarter of the token's life before it expires, at most a minute before, so
 * requests never go out with a token about to lapse.
 */
export function renewalDue(tokens: TokenSet, now: number): number {
  const left = Math.max(0, tokens.expiresAt - now);
  return now + left - Math.min(60_000, left / 4);
}

/** The provider's sign-out page for this session, or undefined when the provider offers none. */
export function endSessionUrl(
  config: OidcClientConfig,
  metadata: ProviderMetadata,
  idToken: string | undefined,
  postLogoutRedirectUri: string,
): string | undefined {
  if (!metadata.endSessionEndpoint) return undefined;
  const url = new URL(metadata.endSessionEndpoint);
  url.searchParams.set("client_id", config.clientId);
  if (idToken) url.searchParams.set("id_token_hint", idToken);
  url.searchParams.set("post_logout_redirect_uri", postLogoutRedirectUri);
  return url.toString();
}

/** Revokes the refresh token where the provider offers revocation; failures are not the user's. */
export async function revokeRefreshToken(
  config: OidcClientConfig,
  metadata: ProviderMetadata,
  tokens: TokenSet,
  fetcher: Fetch = fetch,
): Promise<void> {
  if (!metadata.revocationEndpoint || !tokens.refreshToken) return;
  await fetcher(metadata.revocationEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      token: tokens.refreshToken,
      token_type_hint: "refresh_token",
      client_id: config.clientId,
    }),
    credentials: "omit",
  }).catch(() => undefined);
}
