import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import type { ProviderMetadata } from "./discovery.ts";
import { endSessionUrl, revokeRefreshToken, type TokenSet } from "./oidc.ts";

type Fetch = typeof fetch;

/**
 * Revokes the refresh token in hand and, when tokens were on their way (a renewal, or the
 * exchange of a sign-in answer), the one they bring (with rotation, the only one still good);
 * returns the provider's sign-out page when someone was signed in and it offers one.
 */
export async function revokeForSignOut(
  config: OidcClientConfig,
  metadata: ProviderMetadata,
  current: TokenSet | undefined,
  coming: Promise<TokenSet> | undefined,
  postLogoutRedirectUri: string,
  fetcher: Fetch = fetch,
): Promise<string | undefined> {
  if (current) await revokeRefreshToken(config, metadata, current, fetcher);
  const arrived = await coming?.catch(() => undefined);
  if (arrived?.refreshToken && arrived.refreshToken !== current?.refreshToken)
    await revokeRefreshToken(config, metadata, arrived, fetcher);
  const last = arrived ?? current;
  return last && endSessionUrl(config, metadata, last.idToken, postLogoutRedirectUri);
}
