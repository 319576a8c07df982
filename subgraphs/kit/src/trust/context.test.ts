import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { bodyDigest } from "./body-digest.ts";
import {
  type CallerContext,
  CONTEXT_CLOCK_TOLERANCE_SECONDS,
  CONTEXT_LIFETIME_SECONDS,
  CONTEXT_TYPE,
  ContextRefused,
  createContextVerifier,
  type RefusalReason,
  signContext,
} from "./context.ts";
import {
  type ContextJwk,
  type ContextSigningKey,
  importSigningKey,
  importVerifyKeys,
  newContextKeyPair,
} from "./keys.ts";

const caller: CallerContext = {
  sub: "sw.patel",
  roles: ["social_worker"],
  agency: "childrens-services",
  enquiry: "ENQ-2001",
  rid: "0b5e0c1e-8f4e-4a59-9a43-3c1b8f1d2e10",
};
/** The request a context is signed for: an `_entities` fetch as the gateway sends it. */
const BODY = JSON.stringify({
  query: "query($r:[_Any!]!){_entities(representations:$r){... on Subject{id}}}",
  variables: { r: [{ __typename: "Subject", id: "S-1001" }] },
});

async function pair(): Promise<{ signing: ContextSigningKey; publicJwk: ContextJwk }> {
  const { privateJwk, publicJwk } = await newContextKeyPair();
  return { signing: await importSigningKey(privateJwk), publicJwk };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const parts = (token: string) => token.split(".") as [string, string, string];
const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

async function refusal(promise: Promise<unknown>): Promise<RefusalReason> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContextRefused);
  return (error as ContextRefused).reason;
}

describe("gateway contexts", async () => {
  const key = await pair();
  const trusted = await importVerifyKeys([key.publicJwk]);
  // Each verifier remembers what it accepted: a test that verifies a token twice makes its own.
  const verifier = () => createContextVerifier(trusted, "police");
  const police = verifier();

  it("verifies what the gateway signed, returning exactly the caller it signed for", async () => {
    const token = await signContext(key.signing, "police", caller, BODY);
    const verified = await police(token, BODY);
    expect(verified.caller).toEqual(caller);
    expect(verified.bodyDigest).toBe(bodyDigest(BODY));
    const payload = decode(parts(token)[1]);
    expect(payload).toMatchObject({
      iss: "mash-gateway",
      aud: "police",
      sub: "sw.patel",
      bdy: bodyDigest(BODY),
      jti: verified.jti,
    });
    expect(payload.exp - payload.iat).toBe(CONTEXT_LIFETIME_SECONDS);
    expect(CONTEXT_LIFETIME_SECONDS).toBe(10);
    expect(CONTEXT_CLOCK_TOLERANCE_SECONDS).toBe(5);
    expect(decode(parts(token)[0])).toMatchObject({ alg: "EdDSA", kid: key.signing.kid });
  });

  it("digests the exact bytes: sha256, base64url", () => {
    expect(bodyDigest("")).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    expect(bodyDigest(Buffer.from(BODY))).toBe(bodyDigest(BODY));
  });

  it("leaves out agency and enquiry when there are none", async () => {
    const service = { sub: "mash-gateway", roles: [], rid: "r-1" };
    const token = await signContext(key.signing, "police", service, "");
    expect((await police(token, "")).caller).toEqual(service);
  });

  it("refuses a context sent with another body than it was signed for", async () => {
    const token = await signContext(key.signing, "police", caller, BODY);
    const other = BODY.replace("S-1001", "S-1002");
    const error = (await police(token, other).catch((e: unknown) => e)) as ContextRefused;
    expect(error.reason).toBe("body");
    expect(error.message).toMatch(/signed for another request body/);
    // It verified: what it names may be recorded.
    expect(error.context).toMatchObject({ rid: caller.rid, sub: caller.sub });
    // One byte more (a space the JSON would not miss) is another body too.
    expect(await refusal(police(token, `${BODY} `))).toBe("body");
    // Refusing the wrong body does not use it up: the request it was signed for still passes.
    expect((await police(token, BODY)).caller).toEqual(caller);
  });

  it("accepts a context once: a second use is a replay, whatever its body", async () => {
    const verify = verifier();
    const token = await signContext(key.signing, "police", caller, BODY);
    const first = await verify(token, BODY);
    const error = (await verify(token, BODY).catch((e: unknown) => e)) as ContextRefused;
    expect(error.reason).toBe("replayed");
    expect(error.context).toEqual({ rid: caller.rid, jti: first.jti, sub: caller.sub });
    for (let i = 0; i < 4; i++) expect(await refusal(verify(token, BODY))).toBe("replayed");
    // Another context for the same request is a new one.
    const again = await signContext(key.signing, "police", caller, BODY);
    expect((await verify(again, BODY)).jti).not.toBe(first.jti);
  });

  it("remembers a context exactly as long as it could verify, and no longer", async () => {
    let now = Date.now();
    const verify = createContextVerifier(trusted, "police", { currentDate: () => new Date(now) });
    const issued = Math.floor(now / 1000);
    const token = await signContext(key.signing, "police", caller, BODY, issued);
    await verify(token, BODY);
    now += (CONTEXT_LIFETIME_SECONDS + CONTEXT_CLOCK_TOLERANCE_SECONDS - 1) * 1000;
    expect(await refusal(verify(token, BODY))).toBe("replayed");
    now += 3000;
    expect(await refusal(verify(token, BODY))).toBe("expired");
  });

  it("refuses rather than forgets when too many contexts are live", async () => {
    const verify = createContextVerifier(trusted, "police", { replayCapacity: 2 });
    const tokens = await Promise.all(
      [1, 2, 3].map(() => signContext(key.signing, "police", caller, BODY)),
    );
    await verify(tokens[0] as string, BODY);
    await verify(tokens[1] as string, BODY);
    expect(await refusal(verify(tokens[2] as string, BODY))).toBe("overloaded");
    expect(await refusal(verify(tokens[0] as string, BODY))).toBe("replayed");
  });

  it.each([
    ["no body digest", { jti: "0123456789abcdef0123" }],
    ["no jti", { bdy: bodyDigest(BODY) }],
    ["a jti too short to be random", { bdy: bodyDigest(BODY), jti: "1" }],
  ])("refuses a context with %s", async (_, claims) => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ roles: [], rid: "r-1", ...claims })
      .setProtectedHeader({ alg: "EdDSA", kid: key.signing.kid, typ: CONTEXT_TYPE })
      .setSubject("pc.jones")
      .setIssuer("mash-gateway")
      .setAudience("police")
      .setIssuedAt(now)
      .setExpirationTime(now + CONTEXT_LIFETIME_SECONDS)
      .sign(key.signing.privateKey);
    expect(await refusal(police(token, BODY))).toBe("claims");
  });

  it("refuses a context whose lifetime is longer than the gateway gives", async () => {
    const now = Math.floor(Date.now() / 1000);
    // Signed 20 s ago to last a minute: the gateway never signs one so, and it is too old.
    const token = await new SignJWT({ roles: [], rid: "r-1", bdy: bodyDigest(BODY) })
      .setProtectedHeader({ alg: "EdDSA", kid: key.signing.kid, typ: CONTEXT_TYPE })
      .setSubject("pc.jones")
      .setIssuer("mash-gateway")
      .setAudience("police")
      .setJti("0123456789abcdef0123")
      .setIssuedAt(now - 20)
      .setExpirationTime(now + 40)
      .sign(key.signing.privateKey);
    expect(await refusal(police(token, BODY))).toBe("expired");
  });

  const reach = {
    outside: { flagged: false, unflagged: true },
    linked: { flagged: true, unflagged: true },
  };
  const search = {
    fields: {
      "Query.searchSubjects": {
        name: reach,
        postcode: { ...reach, outside: { flagged: false, unflagged: false } },
      },
    },
    linked: ["S-1001", "S-1002"],
  };

  it("carries whom a search may match, exactly as signed", async () => {
    const token = await signContext(key.signing, "police", { ...caller, search }, BODY);
    expect((await police(token, BODY)).caller).toEqual({ ...caller, search });
  });

  it.each([
    [
      "a flag that is not a boolean",
      {
        ...search,
        fields: {
          "Query.searchSubjects": {
            name: { ...reach, linked: { flagged: "yes", unflagged: true } },
          },
        },
      },
    ],
    [
      "a missing profile",
      { ...search, fields: { "Query.searchSubjects": { name: { outside: reach.outside } } } },
    ],
    ["a field that is not Type.field", { ...search, fields: { searchSubjects: { name: reach } } }],
    [
      "an argument named __proto__",
      {
        ...search,
        fields: { "Query.searchSubjects": JSON.parse(`{"__proto__": ${JSON.stringify(reach)}}`) },
      },
    ],
    ["a linked id that is not an id", { ...search, linked: ["S-1001", "<script>"] }],
    [
      "more linked people than an enquiry links",
      { ...search, linked: Array.from({ length: 501 }, (_, i) => `S-${i}`) },
    ],
    ["no linked list", { fields: search.fields }],
    ["a list for the table", { ...search, fields: [] }],
  ])("refuses a search claim with %s", async (_, bad) => {
    const token = await signContext(
      key.signing,
      "police",
      { ...caller, search: bad as unknown as CallerContext["search"] },
      BODY,
    );
    expect(await refusal(police(token, BODY))).toBe("claims");
  });

  it("keeps nothing of a search claim but what it checked", async () => {
    const extra = {
      ...search,
      admin: true,
      fields: { "Query.searchSubjects": { name: { ...reach, everyone: true } } },
    };
    const token = await signContext(
      key.signing,
      "police",
      { ...caller, search: extra as unknown as CallerContext["search"] },
      BODY,
    );
    expect((await police(token, BODY)).caller.search).toEqual({
      fields: { "Query.searchSubjects": { name: reach } },
      linked: search.linked,
    });
  });

  it("refuses a request with no context at all", async () => {
    expect(await refusal(police(undefined, BODY))).toBe("missing");
    expect(await refusal(police("  ", BODY))).toBe("missing");
  });

  it("refuses a payload altered after signing", async () => {
    const signed = await signContext(key.signing, "police", caller, BODY);
    const [header, payload, signature] = parts(signed);
    const raised = b64({ ...decode(payload), roles: ["police_officer", "mash_manager"] });
    expect(await refusal(police(`${header}.${raised}.${signature}`, BODY))).toBe("signature");
    // A digest changed to fit another body breaks the signature the same way.
    const other = BODY.replace("S-1001", "S-1002");
    const rebound = b64({ ...decode(payload), bdy: bodyDigest(other) });
    expect(await refusal(police(`${header}.${rebound}.${signature}`, other))).toBe("signature");
  });

  it("refuses a context signed for another subgraph", async () => {
    const token = await signContext(key.signing, "health", caller, BODY);
    expect(await refusal(police(token, BODY))).toBe("audience");
  });

  it("refuses an expired context, allowing five seconds of clock skew", async () => {
    const now = Math.floor(Date.now() / 1000);
    const justLate = await signContext(key.signing, "police", caller, BODY, now - 13);
    expect((await police(justLate, BODY)).caller).toEqual(caller);
    const expired = await signContext(key.signing, "police", caller, BODY, now - 16);
    expect(await refusal(police(expired, BODY))).toBe("expired");
  });

  it("refuses a context signed with another key, under the trusted kid or its own", async () => {
    const other = await pair();
    const sameKid = { ...other.signing, kid: key.signing.kid };
    const underKid = await signContext(sameKid, "police", caller, BODY);
    expect(await refusal(police(underKid, BODY))).toBe("signature");
    const ownKid = await signContext(other.signing, "police", caller, BODY);
    expect(await refusal(police(ownKid, BODY))).toBe("unknown-key");
  });

  it('refuses an unsigned context ("alg": "none") and a stripped signature', async () => {
    const [header, payload] = parts(await signContext(key.signing, "police", caller, BODY));
    const none = b64({ alg: "none", typ: "mash-context+jwt", kid: key.signing.kid });
    expect(await refusal(police(`${none}.${payload}.`, BODY))).toBe("algorithm");
    expect(await refusal(police(`${header}.${payload}.`, BODY))).toBe("signature");
  });

  it("refuses an HMAC token keyed with the public key (algorithm confusion)", async () => {
    const [, payload] = parts(await signContext(key.signing, "police", caller, BODY));
    const header = b64({ alg: "HS256", typ: "mash-context+jwt", kid: key.signing.kid });
    const mac = createHmac("sha256", key.publicJwk.x)
      .update(`${header}.${payload}`)
      .digest("base64url");
    expect(await refusal(police(`${header}.${payload}.${mac}`, BODY))).toBe("algorithm");
  });

  it("refuses junk in the header", async () => {
    expect(await refusal(police("not-a-jwt", BODY))).toBe("malformed");
    expect(await refusal(police("a".repeat(9000), BODY))).toBe("malformed");
  });

  it("accepts the old key while both are trusted during rotation, and not once it is removed", async () => {
    const next = await pair();
    const oldToken = await signContext(key.signing, "police", caller, BODY);
    const newToken = await signContext(next.signing, "police", caller, BODY);
    const during = createContextVerifier(
      await importVerifyKeys(JSON.stringify([key.publicJwk, next.publicJwk])),
      "police",
    );
    expect((await during(oldToken, BODY)).caller).toEqual(caller);
    expect((await during(newToken, BODY)).caller).toEqual(caller);
    const after = createContextVerifier(await importVerifyKeys([next.publicJwk]), "police");
    const fresh = await signContext(next.signing, "police", caller, BODY);
    expect((await after(fresh, BODY)).caller).toEqual(caller);
    expect(await refusal(after(oldToken, BODY))).toBe("unknown-key");
  });
});
