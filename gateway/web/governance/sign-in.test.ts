import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { OidcSession } from "../sign-in/use-oidc-session.ts";
import { ProviderSignIn } from "./sign-in.tsx";
import { providerSignInOf, type Session, type SignIn } from "./use-session.ts";

const signedIn: OidcSession = {
  status: "signed-in",
  authorization: "Bearer access-1",
  user: { id: "sw.patel", name: "Priya Patel", roles: ["social_worker"] },
  expiresAt: 0,
};
const refusal = { message: "Only governance officers may use this API" };

const session = (signIn: SignIn): Session => ({
  identity: { mode: "checking" },
  signIn,
  signInAs: () => undefined,
  signInWithToken: () => undefined,
  signInWithProvider: () => undefined,
  signOut: () => undefined,
});
const render = (signIn: SignIn) =>
  renderToStaticMarkup(createElement(ProviderSignIn, { session: session(signIn) }));

describe("sign-in through the identity provider, for someone the console refuses", () => {
  it("is signed out with the refusal, and says who the provider signed in", () => {
    const state = providerSignInOf(signedIn, { user: "sw.patel", problems: [refusal] });
    expect(state).toEqual({
      status: "signed-out",
      problems: [refusal],
      refused: { name: "Priya Patel" },
    });
    // An answer about someone else is not this user's yet.
    expect(providerSignInOf(signedIn, { user: "pc.jones", problems: [refusal] })).toEqual({
      status: "signing-in",
      who: "Priya Patel",
    });
    expect(providerSignInOf({ status: "signed-out", message: "Expired" }, undefined)).toEqual({
      status: "signed-out",
      problems: [{ message: "Expired" }],
    });
  });

  it("offers sign-out, not a sign-in that would loop back to the refusal", () => {
    const refused = render(providerSignInOf(signedIn, { user: "sw.patel", problems: [refusal] }));
    expect(refused).toContain(">Sign out</button>");
    expect(refused).not.toContain(">Sign in</button>");
    expect(refused).toContain("signed you in as Priya Patel");
    const fresh = render({ status: "signed-out" });
    expect(fresh).toContain(">Sign in</button>");
    expect(fresh).not.toContain("Sign out");
  });
});
