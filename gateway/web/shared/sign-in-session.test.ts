import { describe, expect, it } from "vitest";
import type { OidcSession } from "../sign-in/use-oidc-session.ts";
import { bearer, providerSessionOf, signedInId, signedOutWhy } from "./sign-in-session.ts";

const patel = { id: "sw.patel", name: "Priya Patel", roles: ["social_worker"] };
const signedIn = (authorization: string): OidcSession => ({
  status: "signed-in",
  authorization,
  user: patel,
  expiresAt: 0,
});
const refusal = { message: "Only governance officers may use this API", code: "FORBIDDEN" };
const idOf = (user: { id: string }) => user.id;

describe("a sign-in through the identity provider", () => {
  it("is signed in once the app accepts the provider's user, with the provider's current token", () => {
    const accepted = { for: "sw.patel", user: { id: "sw.patel", agency: "childrens-services" } };
    expect(providerSessionOf(signedIn("Bearer a1"), accepted, idOf)).toEqual({
      status: "signed-in",
      id: "sw.patel",
      user: accepted.user,
      authorization: "Bearer a1",
    });
    // A renewed token is the same person: the same acceptance, the new token.
    expect(providerSessionOf(signedIn("Bearer a2"), accepted, idOf)).toMatchObject({
      id: "sw.patel",
      authorization: "Bearer a2",
    });
  });

  it("is still working until the app has answered about this user, not another", () => {
    expect(providerSessionOf(signedIn("Bearer a1"), undefined, idOf)).toEqual({
      status: "working",
      message: "Signing in as Priya Patel…",
    });
    const aboutJones = { for: "pc.jones", user: { id: "pc.jones" } };
    expect(providerSessionOf(signedIn("Bearer a1"), aboutJones, idOf).status).toBe("working");
  });

  it("is refused, naming who the provider signed in, when the app does not accept them", () => {
    const session = providerSessionOf(
      signedIn("Bearer a1"),
      { for: "sw.patel", problems: [refusal] },
      idOf,
    );
    expect(session).toEqual({ status: "refused", name: "Priya Patel", problems: [refusal] });
    expect(signedInId(session)).toBe("");
  });

  it("is signed out with the provider's reason, when it gives one", () => {
    const expired = { status: "signed-out", message: "Your sign-in has expired" } as const;
    const session = providerSessionOf(expired, undefined, idOf);
    expect(session).toEqual({ status: "signed-out", problems: [{ message: expired.message }] });
    expect(signedOutWhy(session)).toBe("Your sign-in has expired");
    expect(providerSessionOf({ status: "signed-out" }, undefined, idOf)).toEqual({
      status: "signed-out",
    });
    expect(signedOutWhy({ status: "signed-out" })).toBeUndefined();
    expect(providerSessionOf({ status: "working", message: "Opening…" }, undefined, idOf)).toEqual({
      status: "working",
      message: "Opening…",
    });
  });
});

describe("why someone is signed out", () => {
  it("says every problem, each with its code", () => {
    const session = { status: "signed-out", problems: [refusal, { message: "And" }] } as const;
    expect(signedOutWhy(session)).toBe(
      "Only governance officers may use this API (FORBIDDEN); And",
    );
  });
});

describe("bearer", () => {
  it.each([
    ["abc.def.ghi", "Bearer abc.def.ghi"],
    ["  Bearer abc.def.ghi \n", "Bearer abc.def.ghi"],
    ["bearer   abc", "Bearer abc"],
    // A paste that wrapped across lines in the text area.
    [
      "eyJhbGciOi\nJFZERTQSJ9.eyJzdWIi\r\nOiJ4In0.c2ln",
      "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln",
    ],
  ])("%j -> %j", (typed, expected) => {
    expect(bearer(typed)).toBe(expected);
  });

  it("refuses what a header cannot carry, without repeating the token", () => {
    for (const typed of ["", "   ", "abc.dé.ghi", "abc\u0000def"]) {
      expect(() => bearer(typed)).toThrow(/paste it again/);
      try {
        bearer(typed);
      } catch (error) {
        if (typed.trim()) expect((error as Error).message).not.toContain(typed.trim());
      }
    }
  });
});
