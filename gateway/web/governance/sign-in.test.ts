import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Session as SignInSession } from "../shared/sign-in-session.ts";
import { ProviderSignIn } from "./sign-in.tsx";
import type { Officer } from "./types.ts";
import type { Session } from "./use-session.ts";

const controls = (session: SignInSession<Officer>): Session => ({
  method: { mode: "checking" },
  session,
  chosen: "",
  choose: () => undefined,
  signInWithToken: () => undefined,
  signIn: () => undefined,
  signOut: () => undefined,
});
const render = (session: SignInSession<Officer>) =>
  renderToStaticMarkup(createElement(ProviderSignIn, { session: controls(session) }));

describe("sign-in through the identity provider, for someone the console refuses", () => {
  it("offers sign-out, not a sign-in that would loop back to the refusal", () => {
    const refused = render({
      status: "refused",
      name: "Priya Patel",
      problems: [{ message: "Only governance officers may use this API" }],
    });
    expect(refused).toContain(">Sign out</button>");
    expect(refused).not.toContain(">Sign in</button>");
    expect(refused).toContain("signed you in as Priya Patel");
    const fresh = render({ status: "signed-out" });
    expect(fresh).toContain(">Sign in</button>");
    expect(fresh).not.toContain("Sign out");
  });

  it("cannot be pressed twice while the provider is on its way", () => {
    expect(render({ status: "working", message: "Opening…" })).toMatch(/<button[^>]*disabled/);
  });
});
