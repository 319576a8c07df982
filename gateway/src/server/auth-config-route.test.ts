import { createServer } from "node:http";
import { close, listen } from "@mash/kit/http";
import { describe, expect, it } from "vitest";
import { loadIdentityConfig } from "../identity/config.ts";
import { contentSecurityPolicy } from "../static-apps/serve.ts";
import { authConfigOf, authConfigRoute, identityProviderOrigin } from "./auth-config-route.ts";

const PROVIDER = {
  MASH_AUTH_ISSUER: "https://login.council.example.gov.uk/realms/mash",
  MASH_AUTH_JWKS_URL: "https://login.council.example.gov.uk/realms/mash/certs",
};

describe("browser sign-in settings", () => {
  it("are read with the identity provider's, scopes defaulting to openid profile offline_access", () => {
    const identity = loadIdentityConfig({ ...PROVIDER, MASH_AUTH_CLIENT_ID: "mash-browser-apps" });
    expect(identity.browserClient).toEqual({
      clientId: "mash-browser-apps",
      scopes: "openid profile offline_access",
    });
    expect(
      loadIdentityConfig({
        ...PROVIDER,
        MASH_AUTH_CLIENT_ID: "mash",
        MASH_AUTH_SCOPES: "  openid   api://mash/access ",
      }).browserClient?.scopes,
    ).toBe("openid api://mash/access");
    expect(loadIdentityConfig(PROVIDER).browserClient).toBeUndefined();
  });

  it.each([
    [{ MASH_AUTH_CLIENT_ID: "mash" }, "MASH_AUTH_CLIENT_ID: is set without MASH_AUTH_ISSUER"],
    [
      { ...PROVIDER, MASH_AUTH_SCOPES: "openid" },
      "MASH_AUTH_SCOPES: is set without MASH_AUTH_CLIENT_ID",
    ],
    [
      { ...PROVIDER, MASH_AUTH_CLIENT_ID: "mash", MASH_AUTH_SCOPES: "profile" },
      'MASH_AUTH_SCOPES: "profile" lacks "openid"',
    ],
    [
      {
        ...PROVIDER,
        MASH_AUTH_ISSUER: "http://login.council.example.gov.uk",
        MASH_AUTH_CLIENT_ID: "mash",
      },
      'MASH_AUTH_ISSUER: "http://login.council.example.gov.uk" is not an https URL',
    ],
    [
      {
        ...PROVIDER,
        MASH_AUTH_ISSUER: "https://user:pw@login.example",
        MASH_AUTH_CLIENT_ID: "mash",
      },
      "MASH_AUTH_ISSUER: must be a plain https URL",
    ],
    [
      {
        ...PROVIDER,
        MASH_AUTH_ISSUER: "https://login.example/?tenant=x",
        MASH_AUTH_CLIENT_ID: "mash",
      },
      "MASH_AUTH_ISSUER: must be a plain https URL",
    ],
    [
      { ...PROVIDER, MASH_AUTH_ISSUER: "https://login.example/#a", MASH_AUTH_CLIENT_ID: "mash" },
      "MASH_AUTH_ISSUER: must be a plain https URL",
    ],
    [
      { ...PROVIDER, MASH_AUTH_ISSUER: "urn:council", MASH_AUTH_CLIENT_ID: "mash" },
      "is not an https URL",
    ],
  ])("are refused when %o, naming the setting", (env, message) => {
    expect(() => loadIdentityConfig(env)).toThrow(message);
  });

  it("allow http on loopback, for a provider run beside the tests", () => {
    const identity = loadIdentityConfig({
      MASH_AUTH_ISSUER: "http://localhost:4444",
      MASH_AUTH_JWKS_URL: "http://localhost:4444/jwks",
      MASH_AUTH_CLIENT_ID: "mash",
    });
    expect(identityProviderOrigin(identity)).toBe("http://localhost:4444");
  });
});

describe("GET /auth/config", () => {
  it("tells the apps the mode, and for OIDC the issuer, client, scopes and claim names", () => {
    expect(authConfigOf(loadIdentityConfig({ MASH_DATA_DIR: "/tmp/unused" }))).toEqual({
      mode: "development",
    });
    expect(authConfigOf(loadIdentityConfig(PROVIDER))).toEqual({ mode: "external" });
    const identity = loadIdentityConfig({
      ...PROVIDER,
      MASH_AUTH_CLIENT_ID: "mash-browser-apps",
      MASH_AUTH_CLAIM_ROLES: "groups",
    });
    expect(authConfigOf(identity)).toEqual({
      mode: "oidc",
      issuer: PROVIDER.MASH_AUTH_ISSUER,
      clientId: "mash-browser-apps",
      scopes: "openid profile offline_access",
      claims: { name: "name", agency: "agency", roles: "groups" },
    });
    expect(identityProviderOrigin(identity)).toBe("https://login.council.example.gov.uk");
    expect(identityProviderOrigin(loadIdentityConfig(PROVIDER))).toBeUndefined();
  });

  it("answers GET and HEAD on its path only", async () => {
    const route = authConfigRoute(loadIdentityConfig({ ...PROVIDER, MASH_AUTH_CLIENT_ID: "mash" }));
    const server = createServer((req, res) => {
      if (!route(req, res, (req.url ?? "/").split("?")[0] ?? "/")) res.writeHead(404).end();
    });
    const port = await listen(server, 0, "127.0.0.1");
    try {
      const base = `http://127.0.0.1:${port}`;
      const answer = await fetch(`${base}/auth/config`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("cache-control")).toBe("no-store");
      await expect(answer.json()).resolves.toMatchObject({ mode: "oidc", clientId: "mash" });
      expect((await fetch(`${base}/auth/config`, { method: "POST" })).status).toBe(404);
      expect((await fetch(`${base}/auth/configs`)).status).toBe(404);
    } finally {
      await close(server);
    }
  });
});

describe("the apps' Content-Security-Policy", () => {
  it("lets the pages call the identity provider's origin and no other", () => {
    const directives = (policy: string) =>
      Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d]));
    expect(directives(contentSecurityPolicy())["connect-src"]).toBe("connect-src 'self'");
    const withProvider = directives(contentSecurityPolicy("https://login.council.example.gov.uk"));
    expect(withProvider["connect-src"]).toBe(
      "connect-src 'self' https://login.council.example.gov.uk",
    );
    // Renewal is a fetch, not a hidden frame: nothing else is opened up.
    expect(withProvider["frame-ancestors"]).toBe("frame-ancestors 'none'");
    expect(withProvider["frame-src"]).toBeUndefined();
    expect(withProvider["default-src"]).toBe("default-src 'self'");
  });
});
