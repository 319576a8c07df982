import { describe, expect, it } from "vitest";
import { type AddressBar, CallbackAnswer, type Exchange } from "./callback-answer.ts";
import type { TokenSet } from "./oidc.ts";

const PAGE = "https://mash.example.gov.uk/governance";
const CALLBACK = `${PAGE}?code=the-code&state=s1&iss=https%3A%2F%2Fidp.example`;

class Bar implements AddressBar {
  constructor(public href: string) {}
  replace(href: string) {
    this.href = new URL(href, this.href).toString();
  }
}

function exchanges() {
  const codes: string[] = [];
  const exchange: Exchange = async (href) => {
    codes.push(new URL(href).searchParams.get("code") ?? "");
    return {
      authorization: "Bearer access-1",
      idToken: "id.token.sig",
      refreshToken: "refresh-1",
      expiresAt: 0,
      user: { id: "sw.patel", name: "Priya Patel", roles: [] },
      returnTo: "/governance?tab=log",
    } satisfies TokenSet & { returnTo: string };
  };
  return { codes, exchange };
}

describe("the sign-in answer a page was opened with", () => {
  it("is exchanged once, however often it is read while the page stays put", async () => {
    const bar = new Bar(CALLBACK);
    const { codes, exchange } = exchanges();
    const answers = new CallbackAnswer();
    const first = answers.read(bar, exchange);
    // The code left the address bar at once.
    expect(bar.href).toBe(PAGE);
    // StrictMode's second run of the effect, or a new config object: the same exchange.
    expect(answers.read(bar, exchange)).toBe(first);
    await expect(first).resolves.toMatchObject({ refreshToken: "refresh-1" });
    expect(codes).toEqual(["the-code"]);
    expect(bar.href).toBe(`${PAGE}?tab=log`);
  });

  it("is forgotten once taken, or on sign-out: it cannot sign the user back in", async () => {
    const { exchange } = exchanges();
    const answers = new CallbackAnswer();
    const bar = new Bar(CALLBACK);
    const taken = answers.read(bar, exchange);
    await taken;
    bar.href = PAGE;
    // Another promise is not the one held: nothing is forgotten.
    answers.clear(Promise.resolve({} as TokenSet));
    expect(answers.read(bar, exchange)).toBe(taken);
    answers.clear(taken);
    expect(answers.read(bar, exchange)).toBeUndefined();

    const again = new CallbackAnswer();
    const signedOut = new Bar(CALLBACK);
    const signingIn = again.read(signedOut, exchange);
    // Handed to the sign-out, which revokes what it brings.
    expect(again.clear()).toBe(signingIn);
    expect(again.read(signedOut, exchange)).toBeUndefined();
  });

  it("is not handed to a page that has moved on", async () => {
    const { exchange } = exchanges();
    const answers = new CallbackAnswer();
    const bar = new Bar(CALLBACK);
    await answers.read(bar, exchange);
    // Back at the address the answer left, after the app's own navigation: still nothing.
    bar.href = `${PAGE}/elsewhere`;
    expect(answers.read(bar, exchange)).toBeUndefined();
    bar.href = PAGE;
    expect(answers.read(bar, exchange)).toBeUndefined();
    expect(answers.read(new Bar(`${PAGE}?tab=2`), exchange)).toBeUndefined();
  });
});
