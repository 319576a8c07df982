import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import type { ProviderMetadata } from "./discovery.ts";
import type { Fetch, TokenSet } from "./token-endpoint.ts";

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
