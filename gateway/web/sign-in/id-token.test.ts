import { describe, expect, it } from "vitest";
import { checkIdToken, decodeJwtPayload, userFromClaims } from "./id-token.ts";

const ISSUER = "https://idp.example.gov.uk";
const CLIENT = "mash-browser-apps";
const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(claims)}.c2lnbmF0dXJl`;
}

const good = {
  iss: ISSUER,
  aud: CLIENT,
  sub: "sw.patel",
  nonce: "n-1",
  exp: NOW / 1000 + 300,
  name: "Priya Patel",
  agency: "childrens-services",
  roles: ["social_worker"],
};

describe("the ID token", () => {
  it("decodes a payload with multi-byte characters", () => {
    expect(decodeJwtPayload(fakeJwt({ name: "Zoë Ó Briain" })).name).toBe("Zoë Ó Briain");
    expect(() => decodeJwtPayload("not-a-jwt")).toThrow(/not a JWT/);
  });

  it("is accepted from this issuer, for this client, with this sign-in's nonce", () => {
    const claims = checkIdToken(fakeJwt(good), {
      issuer: ISSUER,
      clientId: CLIENT,
      nonce: "n-1",
      now: NOW,
    });
    expect(userFromClaims(claims, { name: "name", agency: "agency", roles: "roles" })).toEqual({
      id: "sw.patel",
      name: "Priya Patel",
      agency: "childrens-services",
      roles: ["social_worker"],
    });
  });

  it.each([
    [{ iss: "https://elsewhere.example" }, /issued by https:\/\/elsewhere/],
    [{ aud: "another-client" }, /not meant for this client/],
    [{ aud: [CLIENT, "another"] }, /azp/],
    [{ nonce: "n-2" }, /nonce/],
    [{ nonce: undefined }, /nonce/],
    [{ exp: NOW / 1000 - 120 }, /expired/],
    [{ sub: "" }, /no subject/],
  ])("is refused when %o", (change, reason) => {
    expect(() =>
      checkIdToken(fakeJwt({ ...good, ...change }), {
        issuer: ISSUER,
        clientId: CLIENT,
        nonce: "n-1",
        now: NOW,
      }),
    ).toThrow(reason);
  });

  it("must name the same user after a renewal", () => {
    expect(() =>
      checkIdToken(fakeJwt({ ...good, sub: "pc.jones" }), {
        issuer: ISSUER,
        clientId: CLIENT,
        subject: "sw.patel",
        now: NOW,
      }),
    ).toThrow(/another user/);
  });

  it("maps the claim names the gateway is configured with, and falls back to the subject", () => {
    const claims = { sub: "u-17", display: "Sam", org: "police", groups: ["police_officer", 3] };
    expect(userFromClaims(claims, { name: "display", agency: "org", roles: "groups" })).toEqual({
      id: "u-17",
      name: "Sam",
      agency: "police",
      roles: ["police_officer"],
    });
    expect(
      userFromClaims({ sub: "u-18" }, { name: "name", agency: "agency", roles: "roles" }),
    ).toEqual({ id: "u-18", name: "u-18", roles: [] });
  });
});
