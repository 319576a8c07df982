import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type CallerContext,
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
  const police = createContextVerifier(await importVerifyKeys([key.publicJwk]), "police");

  it("verifies what the gateway signed, returning exactly the caller it signed for", async () => {
    const token = await signContext(key.signing, "police", caller);
    expect(await police(token)).toEqual(caller);
    const payload = decode(parts(token)[1]);
    expect(payload).toMatchObject({ iss: "mash-gateway", aud: "police", sub: "sw.patel" });
    expect(payload.exp - payload.iat).toBe(60);
    expect(decode(parts(token)[0])).toMatchObject({ alg: "EdDSA", kid: key.signing.kid });
  });

  it("leaves out agency and enquiry when there are none", async () => {
    const service = { sub: "mash-gateway", roles: [], rid: "r-1" };
    expect(await police(await signContext(key.signing, "police", service))).toEqual(service);
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
    const token = await signContext(key.signing, "police", { ...caller, search });
    expect(await police(token)).toEqual({ ...caller, search });
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
    const token = await signContext(key.signing, "police", {
      ...caller,
      search: bad as unknown as CallerContext["search"],
    });
    expect(await refusal(police(token))).toBe("claims");
  });

  it("keeps nothing of a search claim but what it checked", async () => {
    const extra = {
      ...search,
      admin: true,
      fields: { "Query.searchSubjects": { name: { ...reach, everyone: true } } },
    };
    const token = await signContext(key.signing, "police", {
      ...caller,
      search: extra as unknown as CallerContext["search"],
    });
    expect((await police(token)).search).toEqual({
      fields: { "Query.searchSubjects": { name: reach } },
      linked: search.linked,
    });
  });

  it("refuses a request with no context at all", async () => {
    expect(await refusal(police(undefined))).toBe("missing");
    expect(await refusal(police("  "))).toBe("missing");
  });

  it("refuses a payload altered after signing", async () => {
    const [header, payload, signature] = parts(await signContext(key.signing, "police", caller));
    const raised = b64({ ...decode(payload), roles: ["police_officer", "mash_manager"] });
    expect(await refusal(police(`${header}.${raised}.${signature}`))).toBe("signature");
  });

  it("refuses a context signed for another subgraph", async () => {
    const token = await signContext(key.signing, "health", caller);
    expect(await refusal(police(token))).toBe("audience");
  });

  it("refuses an expired context, allowing five seconds of clock skew", async () => {
    const now = Math.floor(Date.now() / 1000);
    const justLate = await signContext(key.signing, "police", caller, now - 63);
    expect(await police(justLate)).toEqual(caller);
    const expired = await signContext(key.signing, "police", caller, now - 66);
    expect(await refusal(police(expired))).toBe("expired");
  });

  it("refuses a context signed with another key, under the trusted kid or its own", async () => {
    const other = await pair();
    const sameKid = { ...other.signing, kid: key.signing.kid };
    expect(await refusal(police(await signContext(sameKid, "police", caller)))).toBe("signature");
    expect(await refusal(police(await signContext(other.signing, "police", caller)))).toBe(
      "unknown-key",
    );
  });

  it('refuses an unsigned context ("alg": "none") and a stripped signature', async () => {
    const [, payload] = parts(await signContext(key.signing, "police", caller));
    const none = b64({ alg: "none", typ: "mash-context+jwt", kid: key.signing.kid });
    expect(await refusal(police(`${none}.${payload}.`))).toBe("algorithm");
    const [header] = parts(await signContext(key.signing, "police", caller));
    expect(await refusal(police(`${header}.${payload}.`))).toBe("signature");
  });

  it("refuses an HMAC token keyed with the public key (algorithm confusion)", async () => {
    const [, payload] = parts(await signContext(key.signing, "police", caller));
    const header = b64({ alg: "HS256", typ: "mash-context+jwt", kid: key.signing.kid });
    const mac = createHmac("sha256", key.publicJwk.x)
      .update(`${header}.${payload}`)
      .digest("base64url");
    expect(await refusal(police(`${header}.${payload}.${mac}`))).toBe("algorithm");
  });

  it("refuses junk in the header", async () => {
    expect(await refusal(police("not-a-jwt"))).toBe("malformed");
    expect(await refusal(police("a".repeat(9000)))).toBe("malformed");
  });

  it("accepts the old key while both are trusted during rotation, and not once it is removed", async () => {
    const next = await pair();
    const oldToken = await signContext(key.signing, "police", caller);
    const newToken = await signContext(next.signing, "police", caller);
    const during = createContextVerifier(
      await importVerifyKeys(JSON.stringify([key.publicJwk, next.publicJwk])),
      "police",
    );
    expect(await during(oldToken)).toEqual(caller);
    expect(await during(newToken)).toEqual(caller);
    const after = createContextVerifier(await importVerifyKeys([next.publicJwk]), "police");
    expect(await after(newToken)).toEqual(caller);
    expect(await refusal(after(oldToken))).toBe("unknown-key");
  });
});
