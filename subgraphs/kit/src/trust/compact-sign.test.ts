import { webcrypto } from "node:crypto";
import { type CryptoKey, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { bodyDigest } from "./body-digest.ts";
import {
  type CallerContext,
  CONTEXT_ISSUER,
  CONTEXT_TYPE,
  createContextVerifier,
  signContext,
} from "./context.ts";
import { CONTEXT_ALG, importSigningKey, importVerifyKeys, newContextKeyPair } from "./keys.ts";

const caller: CallerContext = {
  sub: "sw.patel",
  roles: ["social_worker"],
  agency: "childrens-services",
  enquiry: "ENQ-2001",
  rid: "0b5e0c1e-8f4e-4a59-9a43-3c1b8f1d2e10",
  search: {
    fields: {
      "Query.searchSubjects": {
        name: {
          outside: { flagged: false, unflagged: true },
          linked: { flagged: true, unflagged: true },
        },
      },
    },
    linked: ["S-1001"],
  },
};
const BODY = '{"query":"{ __typename }"}';
const parts = (token: string) => token.split(".") as [string, string, string];
const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

describe("contexts signed with node:crypto", async () => {
  const { privateJwk, publicJwk } = await newContextKeyPair();
  const key = await importSigningKey(privateJwk);
  const trusted = await importVerifyKeys([publicJwk]);

  it("are the compact JWS jose's SignJWT makes: the same header, claims and claim order", async () => {
    const now = 1_800_000_000;
    const token = await signContext(key, "police", caller, BODY, now);
    const { jti } = decode(parts(token)[1]);
    const jose = await new SignJWT({
      roles: caller.roles,
      agency: caller.agency,
      enquiry: caller.enquiry,
      rid: caller.rid,
      search: caller.search,
      bdy: bodyDigest(BODY),
    })
      .setProtectedHeader({ alg: CONTEXT_ALG, kid: key.kid, typ: CONTEXT_TYPE })
      .setSubject(caller.sub)
      .setIssuer(CONTEXT_ISSUER)
      .setAudience("police")
      .setJti(jti)
      .setIssuedAt(now)
      .setExpirationTime(now + 10)
      .sign(key.privateKey);
    // Ed25519 is deterministic: the same header and claims give the same token, byte for byte.
    expect(token).toBe(jose);
    expect(decodeProtectedHeader(token)).toEqual({
      alg: "EdDSA",
      kid: key.kid,
      typ: CONTEXT_TYPE,
    });
  });

  it("verify with jose as before, and each one once", async () => {
    const verify = createContextVerifier(trusted, "police");
    const token = await signContext(key, "police", caller, BODY);
    const { payload } = await jwtVerify(token, trusted.get(key.kid) as CryptoKey, {
      algorithms: ["EdDSA"],
      typ: CONTEXT_TYPE,
      audience: "police",
      issuer: CONTEXT_ISSUER,
    });
    expect(payload.bdy).toBe(bodyDigest(BODY));
    expect(typeof payload.jti).toBe("string");
    await expect(verify(token, BODY)).resolves.toMatchObject({ caller: { sub: "sw.patel" } });
    await expect(verify(token, BODY)).rejects.toMatchObject({ reason: "replayed" });
    await expect(
      verify(await signContext(key, "police", caller, BODY), "{}"),
    ).rejects.toMatchObject({ reason: "body" });
    const first = await signContext(key, "police", caller, BODY);
    const second = await signContext(key, "police", caller, BODY);
    expect(decode(parts(first)[1]).jti).not.toBe(decode(parts(second)[1]).jti);
  });

  it("refuses to sign with a key that is not an Ed25519 private key", async () => {
    const { privateKey } = await webcrypto.subtle.generateKey(
      { name: "ECDSA", namedCurve: "P-256" },
      true,
      ["sign", "verify"],
    );
    const wrong = { kid: "ec", privateKey: privateKey as CryptoKey };
    await expect(signContext(wrong, "police", caller, BODY)).rejects.toThrow(/not an Ed25519/);
  });
});
