/**
 * OpenID Connect sign-in for the browser apps: authorization code with PKCE (S256) as a public
 * client, renewal with the refresh token (rotated by the provider), and sign-out at the
 * provider's end_session_endpoint. Tokens are returned to the caller to keep in memory; only
 * the one-use values of a sign-in in progress (state, nonce, code verifier) are kept in
 * sessionStorage, because they must outlive the page's trip to the provider, and are removed as
 * soon as the page is back.
 */
import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import { redirectUriOf, returnAddress, withoutCallbackParams } from "./callback-address.ts";
import type { ProviderMetadata } from "./discovery.ts";
import { codeChallengeS256, randomToken } from "./pkce.ts";
import { type Fetch, type TokenSet, tokenRequest, tokenSetFrom } from "./token-endpoint.ts";

export {
  isCallback,
  redirectUriOf,
  returnAddress,
  withoutCallbackParams,
} from "./callback-address.ts";
export { endSessionUrl, revokeRefreshToken } from "./end-session.ts";
export { TokenEndpointError, type TokenSet } from "./token-endpoint.ts";

export type SmallStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

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
