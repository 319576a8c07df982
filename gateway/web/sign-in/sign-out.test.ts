import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import { describe, expect, it } from "vitest";
import type { ProviderMetadata } from "./discovery.ts";
import type { TokenSet } from "./oidc.ts";
import { revokeForSignOut } from "./sign-out.ts";

const ISSUER = "https://idp.example.gov.uk";
const config: OidcClientConfig = {
  issuer: ISSUER,
  clientId: "mash-browser-apps",
  scopes: "openid offline_access",
  claims: { name: "name", agency: "agency", roles: "roles" },
};
const metadata: ProviderMetadata = {
  issuer: ISSUER,
  authorizationEndpoint: `${ISSUER}/authorize`,
  tokenEndpoint: `${ISSUER}/token`,
  revocationEndpoint: `${ISSUER}/revoke`,
};
const current: TokenSet = {
  authorization: "Bearer access-1",
  idToken: "id-1",
  refreshToken: "refresh-1",
  expiresAt: 0,
  user: { id: "sw.patel", name: "Priya Patel", roles: [] },
};
const PAGE = "https://mash.example.gov.uk/governance";

function revocations() {
  const revoked: string[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    expect(url).toBe(`${ISSUER}/revoke`);
    revoked.push(new URLSearchParams(String(init.body)).get("token") ?? "");
    return new Response("", { status: 200 });
  }) as unknown as typeof fetch;
  return { revoked, fetcher };
}

describe("sign-out", () => {
  it("revokes the refresh token a renewal under way brings back", async () => {
    const { revoked, fetcher } = revocations();
    const renewing = Promise.resolve({ ...current, idToken: "id-2", refreshToken: "refresh-2" });
    const url = await revokeForSignOut(
      config,
      { ...metadata, endSessionEndpoint: `${ISSUER}/logout` },
      current,
      renewing,
      PAGE,
      fetcher,
    );
    expect(revoked).toEqual(["refresh-1", "refresh-2"]);
    expect(new URL(url ?? "").searchParams.get("id_token_hint")).toBe("id-2");
  });

  it("revokes the one in hand when no renewal, or a failed one, was under way", async () => {
    const none = revocations();
    expect(await revokeForSignOut(config, metadata, current, undefined, PAGE, none.fetcher)).toBe(
      undefined,
    );
    expect(none.revoked).toEqual(["refresh-1"]);
    const failed = revocations();
    const renewing = Promise.reject(new Error("offline"));
    await revokeForSignOut(config, metadata, current, renewing, PAGE, failed.fetcher);
    expect(failed.revoked).toEqual(["refresh-1"]);
  });

  it("revokes what a sign-in finishing after sign-out brings, and sends nowhere if nothing", async () => {
    const { revoked, fetcher } = revocations();
    const withLogout = { ...metadata, endSessionEndpoint: `${ISSUER}/logout` };
    const url = await revokeForSignOut(
      config,
      withLogout,
      undefined,
      Promise.resolve(current),
      PAGE,
      fetcher,
    );
    expect(revoked).toEqual(["refresh-1"]);
    expect(url).toMatch(/^https:\/\/idp.example.gov.uk\/logout\?/);
    const failed = Promise.reject(new Error("The identity provider did not sign you in"));
    expect(await revokeForSignOut(config, withLogout, undefined, failed, PAGE, fetcher)).toBe(
      undefined,
    );
    expect(revoked).toEqual(["refresh-1"]);
  });
});
