import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { close, listen, sendJson } from "@mash/kit/http";
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUDIENCE, DEV_ISSUER, loadIdentityConfig } from "./config.ts";
import { loadDevSigningKey } from "./dev-keys.ts";
import { devUsers, signDevToken } from "./dev-tokens.ts";
import { AuthenticationError, createVerifier, type Verifier } from "./verify.ts";

const dataDir = mkdtempSync(join(tmpdir(), "mash-identity-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

async function refusal(verify: Verifier, header: string | undefined): Promise<string> {
  const error = await verify(header).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as Error).message;
}

describe("development identity", () => {
  let verify: Verifier;
  let key: Awaited<ReturnType<typeof loadDevSigningKey>>;
  const sign = (claims: Record<string, unknown>, edit?: (j: SignJWT) => SignJWT) => {
    let jwt = new SignJWT({
      roles: ["social_worker"],
      agency: "childrens-services",
      name: "Priya Patel",
      ...claims,
    })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .setSubject("sw.patel")
      .setIssuer(DEV_ISSUER)
      .setAudience(DEFAULT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("1h");
    if (edit) jwt = edit(jwt);
    return jwt.sign(key.privateKey);
  };

  beforeAll(async () => {
    const config = loadIdentityConfig({ MASH_DATA_DIR: dataDir });
    verify = await createVerifier(config);
    key = await loadDevSigningKey(dataDir);
  });

  it("accepts a token it signed for a fixture user, with the user's roles", async () => {
    const user = devUsers().find((u) => u.username === "mgr.okafor");
    if (!user) throw new Error("fixture user missing");
    expect(await verify(`Bearer ${await signDevToken(key, user)}`)).toEqual({
      id: "mgr.okafor",
      name: "Grace Okafor",
      agency: "childrens-services",
      roles: ["mash_manager"],
    });
  });

  it("keeps its signing key across restarts", async () => {
    const again = await loadDevSigningKey(dataDir);
    expect(again.kid).toBe(key.kid);
  });

  it.each([
    ["no header", async () => undefined, /no Authorization header/],
    ["not Bearer", async () => "Basic c3cucGF0ZWw6eA==", /not "Bearer <JWT>"/],
    ["malformed", async () => "Bearer not-a-jwt", /not "Bearer <JWT>"/],
    ["garbage segments", async () => "Bearer aaa.bbb.ccc", /malformed|could not be verified/],
    [
      "alg none",
      async () =>
        `Bearer ${b64({ alg: "none" })}.${b64({ sub: "x", exp: now() + 60, iss: DEV_ISSUER, aud: DEFAULT_AUDIENCE, roles: [] })}.`,
      /algorithm is not accepted|could not be verified|malformed/,
    ],
    [
      "expired",
      async () => `Bearer ${await sign({}, (j) => j.setExpirationTime(now() - 3600))}`,
      /expired/,
    ],
    [
      "not yet valid",
      async () => `Bearer ${await sign({}, (j) => j.setNotBefore(now() + 3600))}`,
      /not valid yet/,
    ],
    [
      "wrong audience",
      async () => `Bearer ${await sign({}, (j) => j.setAudience("another-service"))}`,
      /not meant for this gateway/,
    ],
    [
      "wrong issuer",
      async () => `Bearer ${await sign({}, (j) => j.setIssuer("https://evil.example"))}`,
      /not issued by the identity provider/,
    ],
    [
      "roles not a list",
      async () => `Bearer ${await sign({ roles: "mash_manager" })}`,
      /"roles" claim is not a list/,
    ],
    [
      "another key",
      async () => {
        const other = await generateKeyPair("ES256");
        return `Bearer ${await new SignJWT({ roles: [] }).setProtectedHeader({ alg: "ES256" }).setSubject("x").setIssuer(DEV_ISSUER).setAudience(DEFAULT_AUDIENCE).setExpirationTime("1h").sign(other.privateKey)}`;
      },
      /signature does not verify/,
    ],
    [
      "HMAC with a guessed secret",
      async () =>
        `Bearer ${await new SignJWT({ roles: ["mash_manager"] }).setProtectedHeader({ alg: "HS256" }).setSubject("x").setIssuer(DEV_ISSUER).setAudience(DEFAULT_AUDIENCE).setExpirationTime("1h").sign(new TextEncoder().encode("secret-secret-secret-secret-secret"))}`,
      /algorithm is not accepted/,
    ],
  ])("refuses %s with a reason and no token contents", async (_what, header, message) => {
    const h = await header();
    const reason = await refusal(verify, h);
    expect(reason).toMatch(message);
    const token = h?.split(" ")[1];
    if (token) expect(reason).not.toContain(token.slice(0, 20));
  });
});

describe("external identity provider", () => {
  it("verifies tokens against the provider's published keys and maps configured claims", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "provider-1", alg: "RS256", use: "sig" };
    const server = createServer((_, res) => sendJson(res, 200, { keys: [jwk] }));
    const port = await listen(server, 0, "127.0.0.1");
    try {
      const config = loadIdentityConfig({
        MASH_AUTH_ISSUER: "https://login.example-council.gov.uk",
        MASH_AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
        MASH_AUTH_AUDIENCE: "mash",
        MASH_AUTH_CLAIM_ROLES: "mash_roles",
        MASH_AUTH_CLAIM_AGENCY: "org",
      });
      expect(config.mode).toBe("external");
      const verify = await createVerifier(config);
      const token = await new SignJWT({
        mash_roles: ["probation_officer"],
        org: "probation",
        name: "Imran Khan",
      })
        .setProtectedHeader({ alg: "RS256", kid: "provider-1" })
        .setSubject("u-123")
        .setIssuer("https://login.example-council.gov.uk")
        .setAudience("mash")
        .setExpirationTime("5m")
        .sign(privateKey);
      expect(await verify(`Bearer ${token}`)).toEqual({
        id: "u-123",
        name: "Imran Khan",
        agency: "probation",
        roles: ["probation_officer"],
      });
      const someone = devUsers()[0];
      if (!someone) throw new Error("no fixture users");
      const devToken = await signDevToken(await loadDevSigningKey(dataDir), someone);
      expect(await refusal(verify, `Bearer ${devToken}`)).toMatch(
        /issued by|key the identity provider does not publish|signature/,
      );
    } finally {
      await close(server);
    }
  });

  it("honours key rotation: a token signed with the provider's new key verifies once it is published", async () => {
    const first = await generateKeyPair("ES256");
    const second = await generateKeyPair("ES256");
    const jwk = async (key: CryptoKey, kid: string) => ({
      ...(await exportJWK(key)),
      kid,
      alg: "ES256",
      use: "sig",
    });
    let published = [await jwk(first.publicKey, "k1")];
    const server = createServer((_, res) => sendJson(res, 200, { keys: published }));
    const port = await listen(server, 0, "127.0.0.1");
    try {
      const verify = await createVerifier(
        loadIdentityConfig({
          MASH_AUTH_ISSUER: "https://idp.example",
          MASH_AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
          MASH_AUTH_JWKS_COOLDOWN_MS: "0",
        }),
      );
      const token = (key: CryptoKey, kid: string) =>
        new SignJWT({ roles: ["social_worker"] })
          .setProtectedHeader({ alg: "ES256", kid })
          .setSubject("u-1")
          .setIssuer("https://idp.example")
          .setAudience(DEFAULT_AUDIENCE)
          .setExpirationTime("5m")
          .sign(key);
      expect((await verify(`Bearer ${await token(first.privateKey, "k1")}`)).id).toBe("u-1");
      expect(await refusal(verify, `Bearer ${await token(second.privateKey, "k2")}`)).toMatch(
        /does not publish|could not be verified/,
      );
      published = [await jwk(first.publicKey, "k1"), await jwk(second.publicKey, "k2")];
      expect((await verify(`Bearer ${await token(second.privateKey, "k2")}`)).id).toBe("u-1");
      expect((await verify(`Bearer ${await token(first.privateKey, "k1")}`)).id).toBe("u-1");
    } finally {
      await close(server);
    }
  });

  it("verifies against keys given in configuration (MASH_AUTH_JWKS) when the provider has no reachable URL", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const verify = await createVerifier(
      loadIdentityConfig({
        MASH_AUTH_ISSUER: "https://idp.example",
        MASH_AUTH_JWKS: JSON.stringify({
          keys: [{ ...(await exportJWK(publicKey)), kid: "c1", alg: "ES256" }],
        }),
      }),
    );
    const token = await new SignJWT({ roles: ["mash_manager"] })
      .setProtectedHeader({ alg: "ES256", kid: "c1" })
      .setSubject("u-9")
      .setIssuer("https://idp.example")
      .setAudience(DEFAULT_AUDIENCE)
      .setExpirationTime("5m")
      .sign(privateKey);
    expect((await verify(`Bearer ${token}`)).roles).toEqual(["mash_manager"]);
    const other = await generateKeyPair("ES256");
    const forged = await new SignJWT({ roles: ["mash_manager"] })
      .setProtectedHeader({ alg: "ES256", kid: "c1" })
      .setSubject("u-9")
      .setIssuer("https://idp.example")
      .setAudience(DEFAULT_AUDIENCE)
      .setExpirationTime("5m")
      .sign(other.privateKey);
    expect(await refusal(verify, `Bearer ${forged}`)).toMatch(/signature does not verify/);
    expect(() =>
      loadIdentityConfig({ MASH_AUTH_ISSUER: "https://idp", MASH_AUTH_JWKS: "{" }),
    ).toThrow(/MASH_AUTH_JWKS: is not JSON/);
    expect(() =>
      loadIdentityConfig({
        MASH_AUTH_ISSUER: "https://idp",
        MASH_AUTH_JWKS: '{"keys":[{"kty":"EC","d":"x"}]}',
      }),
    ).toThrow(/public keys only/);
  });

  it("refuses half a configuration, naming the setting", () => {
    expect(() => loadIdentityConfig({ MASH_AUTH_ISSUER: "https://idp" })).toThrow(
      /MASH_AUTH_JWKS_URL: is required/,
    );
    expect(() => loadIdentityConfig({ MASH_AUTH_JWKS_URL: "https://idp/jwks" })).toThrow(
      /without MASH_AUTH_ISSUER/,
    );
    expect(() =>
      loadIdentityConfig({ MASH_AUTH_ISSUER: "https://idp", MASH_AUTH_JWKS_URL: "not a url" }),
    ).toThrow(/is not a URL/);
  });
});
