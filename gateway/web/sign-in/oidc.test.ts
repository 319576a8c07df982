import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import { describe, expect, it } from "vitest";
import type { ProviderMetadata } from "./discovery.ts";
import {
  authorizationRequest,
  beginSignIn,
  endSessionUrl,
  finishSignIn,
  isCallback,
  PENDING_KEY,
  redirectUriOf,
  renewalDue,
  renewTokens,
  returnAddress,
  type TokenSet,
  withoutCallbackParams,
} from "./oidc.ts";
import { codeChallengeS256 } from "./pkce.ts";

const ISSUER = "https://idp.example.gov.uk";
const config: OidcClientConfig = {
  issuer: ISSUER,
  clientId: "mash-browser-apps",
  scopes: "openid profile offline_access",
  claims: { name: "name", agency: "agency", roles: "roles" },
};
const metadata: ProviderMetadata = {
  issuer: ISSUER,
  authorizationEndpoint: `${ISSUER}/authorize`,
  tokenEndpoint: `${ISSUER}/token`,
  endSessionEndpoint: `${ISSUER}/logout`,
};
const PAGE = "https://mash.example.gov.uk/graphql";
const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(claims)}.c2lnbmF0dXJl`;
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

/** A token endpoint that records what it was sent and answers as told. */
function tokenEndpoint(answer: (form: URLSearchParams) => Response) {
  const sent: URLSearchParams[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    expect(url).toBe(metadata.tokenEndpoint);
    const form = new URLSearchParams(String(init.body));
    sent.push(form);
    return answer(form);
  }) as unknown as typeof fetch;
  return { sent, fetcher };
}

const idToken = (nonce?: string, sub = "sw.patel") =>
  fakeJwt({
    iss: ISSUER,
    aud: config.clientId,
    sub,
    nonce,
    exp: NOW / 1000 + 3600,
    name: "Priya Patel",
    agency: "childrens-services",
    roles: ["social_worker"],
  });

/** Starts a sign-in and returns the address the provider would send the browser back to. */
async function startedSignIn(storage: MemoryStorage) {
  let sentTo = "";
  await beginSignIn(config, metadata, `${PAGE}?tab=2`, storage, (url) => {
    sentTo = url;
  });
  const request = new URL(sentTo);
  const state = request.searchParams.get("state") ?? "";
  const nonce = request.searchParams.get("nonce") ?? "";
  return { request, state, nonce, back: `${PAGE}?code=the-code&state=${state}&iss=${ISSUER}` };
}

describe("the authorization request", () => {
  it("asks for a code with PKCE S256, a state and a nonce, back to this page", async () => {
    const { url, pending } = await authorizationRequest(config, metadata, PAGE);
    const params = new URL(url).searchParams;
    expect(url.startsWith(`${ISSUER}/authorize?`)).toBe(true);
    expect(Object.fromEntries(params)).toEqual({
      response_type: "code",
      client_id: "mash-browser-apps",
      redirect_uri: PAGE,
      scope: "openid profile offline_access",
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await codeChallengeS256(pending.verifier),
      code_challenge_method: "S256",
    });
    // The verifier itself never goes to the authorization endpoint.
    expect(url).not.toContain(pending.verifier);
  });

  it("comes back to the page's own address, without its query", () => {
    expect(redirectUriOf(`${PAGE}?tab=2#x`)).toBe(PAGE);
    expect(isCallback(`${PAGE}?code=c&state=s`)).toBe(true);
    expect(isCallback(`${PAGE}?error=access_denied&state=s`)).toBe(true);
    expect(isCallback(`${PAGE}?code=c`)).toBe(false);
    expect(withoutCallbackParams(`${PAGE}?tab=2&code=c&state=s&iss=x&session_state=y`)).toBe(
      `${PAGE}?tab=2`,
    );
  });
});

describe("finishing a sign-in", () => {
  it("exchanges the code with the verifier and keeps nothing in storage", async () => {
    const storage = new MemoryStorage();
    const { request, nonce, back } = await startedSignIn(storage);
    expect(storage.items.has(PENDING_KEY)).toBe(true);
    const { sent, fetcher } = tokenEndpoint(() =>
      Response.json({
        access_token: "header.access.signature",
        token_type: "Bearer",
        expires_in: 300,
        refresh_token: "refresh-1",
        id_token: idToken(nonce),
      }),
    );
    const tokens = await finishSignIn(config, metadata, back, storage, fetcher, () => NOW);
    expect(storage.items.size).toBe(0);
    const form = sent[0] as URLSearchParams;
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("code")).toBe("the-code");
    expect(form.get("redirect_uri")).toBe(PAGE);
    expect(await codeChallengeS256(form.get("code_verifier") ?? "")).toBe(
      request.searchParams.get("code_challenge"),
    );
    expect(tokens).toMatchObject({
      authorization: "Bearer header.access.signature",
      refreshToken: "refresh-1",
      expiresAt: NOW + 300_000,
      user: { id: "sw.patel", name: "Priya Patel", roles: ["social_worker"] },
      // Back to the page as it was when sign-in began.
      returnTo: "/graphql?tab=2",
    });
  });

  it("returns only to an address on this origin", () => {
    const back = `${PAGE}?code=c&state=s`;
    expect(returnAddress("/workspace/enquiry/ENQ-2001#notes", back)).toBe(
      "/workspace/enquiry/ENQ-2001#notes",
    );
    expect(returnAddress("//evil.example/phish", back)).toBe(PAGE);
    expect(returnAddress("https://evil.example/phish", back)).toBe(PAGE);
    expect(returnAddress(undefined, back)).toBe(PAGE);
  });

  it("refuses an answer to a sign-in this tab did not start, and never sends its code", async () => {
    const storage = new MemoryStorage();
    const { back } = await startedSignIn(storage);
    const { sent, fetcher } = tokenEndpoint(() => Response.json({}));
    const forged = back.replace(/state=[^&]+/, "state=forged");
    await expect(finishSignIn(config, metadata, forged, storage, fetcher)).rejects.toThrow(
      /not belong to a sign-in started in this tab/,
    );
    // The one-use values are spent either way: the real answer cannot be replayed after this.
    await expect(finishSignIn(config, metadata, back, storage, fetcher)).rejects.toThrow(
      /not belong/,
    );
    expect(sent).toEqual([]);
  });

  it("passes on the provider's refusal, and an ID token from another sign-in", async () => {
    let storage = new MemoryStorage();
    let started = await startedSignIn(storage);
    const refused = `${PAGE}?error=access_denied&error_description=Not+in+the+MASH+group&state=${started.state}`;
    await expect(finishSignIn(config, metadata, refused, storage)).rejects.toThrow(
      "The identity provider did not sign you in: access_denied: Not in the MASH group",
    );
    storage = new MemoryStorage();
    started = await startedSignIn(storage);
    const replayed = tokenEndpoint(() =>
      Response.json({ access_token: "a.b.c", token_type: "Bearer", id_token: idToken("old") }),
    );
    await expect(
      finishSignIn(config, metadata, started.back, storage, replayed.fetcher, () => NOW),
    ).rejects.toThrow(/nonce/);
    storage = new MemoryStorage();
    started = await startedSignIn(storage);
    const invalid = tokenEndpoint(() =>
      Response.json(
        { error: "invalid_grant", error_description: "PKCE verification failed" },
        { status: 400 },
      ),
    );
    await expect(
      finishSignIn(config, metadata, started.back, storage, invalid.fetcher),
    ).rejects.toThrow("(HTTP 400: invalid_grant: PKCE verification failed)");
  });
});

describe("renewal", () => {
  const current: TokenSet = {
    authorization: "Bearer old.access.token",
    idToken: idToken("n"),
    refreshToken: "refresh-1",
    expiresAt: NOW + 10_000,
    user: { id: "sw.patel", name: "Priya Patel", roles: ["social_worker"] },
  };

  it("uses the refresh token and keeps the rotated one", async () => {
    const { sent, fetcher } = tokenEndpoint(() =>
      Response.json({
        access_token: "new.access.token",
        token_type: "Bearer",
        expires_in: 60,
        refresh_token: "refresh-2",
      }),
    );
    const renewed = await renewTokens(config, metadata, current, fetcher, () => NOW);
    expect(Object.fromEntries(sent[0] as URLSearchParams)).toEqual({
      grant_type: "refresh_token",
      refresh_token: "refresh-1",
      client_id: "mash-browser-apps",
    });
    expect(renewed).toMatchObject({
      authorization: "Bearer new.access.token",
      refreshToken: "refresh-2",
      idToken: current.idToken,
      expiresAt: NOW + 60_000,
      user: current.user,
    });
  });

  it("keeps the last expiry when the answer gives no expires_in and no new ID token", async () => {
    // The kept ID token's exp may be long past: taking it would ask for renewal at once, again.
    const stale = {
      ...current,
      idToken: fakeJwt({
        iss: ISSUER,
        aud: config.clientId,
        sub: "sw.patel",
        exp: NOW / 1000 - 600,
      }),
    };
    const { fetcher } = tokenEndpoint(() =>
      Response.json({ access_token: "new.access.token", token_type: "Bearer" }),
    );
    const renewed = await renewTokens(config, metadata, stale, fetcher, () => NOW);
    expect(renewed.expiresAt).toBe(current.expiresAt);
    // A new ID token without expires_in still gives its own exp.
    const withId = tokenEndpoint(() =>
      Response.json({ access_token: "new.access.token", id_token: idToken() }),
    );
    const fresh = await renewTokens(config, metadata, current, withId.fetcher, () => NOW);
    expect(fresh.expiresAt).toBe(NOW + 3_600_000);
  });

  it("says whether the token endpoint could be reached, and what it answered", async () => {
    const dead = tokenEndpoint(() => Response.json({ error: "invalid_grant" }, { status: 400 }));
    await expect(renewTokens(config, metadata, current, dead.fetcher)).rejects.toMatchObject({
      name: "TokenEndpointError",
      status: 400,
      code: "invalid_grant",
    });
    const down = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(renewTokens(config, metadata, current, down)).rejects.toMatchObject({
      name: "TokenEndpointError",
      status: undefined,
      message: /Could not reach the identity provider's token endpoint: Failed to fetch/,
    });
  });

  it("refuses a renewal that signs in someone else", async () => {
    const { fetcher } = tokenEndpoint(() =>
      Response.json({ access_token: "x.y.z", id_token: idToken(undefined, "pc.jones") }),
    );
    await expect(renewTokens(config, metadata, current, fetcher, () => NOW)).rejects.toThrow(
      /another user/,
    );
    const { refreshToken: _, ...without } = current;
    await expect(renewTokens(config, metadata, without, fetcher)).rejects.toThrow(
      /no refresh token/,
    );
  });

  it("is due before expiry: a quarter of the life left, at most a minute", () => {
    expect(renewalDue({ ...current, expiresAt: NOW + 8_000 }, NOW)).toBe(NOW + 6_000);
    expect(renewalDue({ ...current, expiresAt: NOW + 3_600_000 }, NOW)).toBe(NOW + 3_540_000);
    expect(renewalDue({ ...current, expiresAt: NOW - 5 }, NOW)).toBe(NOW);
  });
});

describe("sign-out", () => {
  it("goes to the provider's end_session_endpoint with the ID token as a hint", () => {
    const url = new URL(endSessionUrl(config, metadata, "the.id.token", PAGE) ?? "");
    expect(url.origin + url.pathname).toBe(`${ISSUER}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "mash-browser-apps",
      id_token_hint: "the.id.token",
      post_logout_redirect_uri: PAGE,
    });
    const { endSessionEndpoint: _, ...none } = metadata;
    expect(endSessionUrl(config, none, "the.id.token", PAGE)).toBeUndefined();
  });
});
