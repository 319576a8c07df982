/**
 * Where a sign-in stands, the same for all three apps whichever way the person signs in
 * (development picker, pasted token, the organisation's identity provider). Pure: the hook in
 * use-sign-in.ts holds the state, this says what it means.
 */
import type { OidcSession } from "../sign-in/use-oidc-session.ts";
import { type ApiProblem, describeProblem } from "./api-error.ts";

export type Session<U> =
  /** No one; `problems` say why when it was not the person's choice (expiry, a failure). */
  | { readonly status: "signed-out"; readonly problems?: readonly ApiProblem[] }
  | { readonly status: "working"; readonly message: string }
  | {
      readonly status: "signed-in";
      /** Who, as the app keys its pages: a renewed token keeps it, another person changes it. */
      readonly id: string;
      readonly user: U;
      /** `Bearer <token>`: the provider's changes at each renewal, the id does not. */
      readonly authorization: string;
    }
  /**
   * The identity provider signed `name` in, but the app does not accept them: signing in again
   * would come back to the same refusal, so the way out is signing out.
   */
  | { readonly status: "refused"; readonly name: string; readonly problems: readonly ApiProblem[] };

/** The app's answer about the provider's user `for`: who they are to it, or why not. */
export type Acceptance<U> =
  | { readonly for: string; readonly user: U }
  | { readonly for: string; readonly problems: readonly ApiProblem[] };

/** The session of a sign-in through the identity provider, with the app's answer about them. */
export function providerSessionOf<U>(
  provider: OidcSession,
  acceptance: Acceptance<U> | undefined,
  idOf: (user: U) => string,
): Session<U> {
  switch (provider.status) {
    case "off":
      return { status: "signed-out" };
    case "signed-out":
      return provider.message
        ? { status: "signed-out", problems: [{ message: provider.message }] }
        : { status: "signed-out" };
    case "working":
      return { status: "working", message: provider.message };
    case "signed-in": {
      // An answer about someone else is not this user's yet.
      if (acceptance?.for !== provider.user.id)
        return { status: "working", message: `Signing in as ${provider.user.name}…` };
      return "user" in acceptance
        ? {
            status: "signed-in",
            id: idOf(acceptance.user),
            user: acceptance.user,
            authorization: provider.authorization,
          }
        : { status: "refused", name: provider.user.name, problems: acceptance.problems };
    }
  }
}

/** Who is signed in, as the app keys on it; "" for no one. */
export const signedInId = (session: Session<unknown>): string =>
  session.status === "signed-in" ? session.id : "";

/** Why the person is signed out, in one line, when it was not their choice. */
export function signedOutWhy(session: Session<unknown>): string | undefined {
  if (session.status !== "signed-out" || !session.problems?.length) return undefined;
  return session.problems.map(describeProblem).join("; ");
}

/**
 * An Authorization value from a bare token or one pasted with its "Bearer " prefix. A token has
 * no spaces, so line breaks a paste brought in are dropped; anything an HTTP header cannot carry
 * is refused here, in words that never repeat the token (a browser's own error may quote it).
 */
export function bearer(token: string): string {
  const bare = token
    .trim()
    .replace(/^bearer\s+/i, "")
    .replace(/\s+/g, "");
  if (!/^[\x21-\x7e]+$/.test(bare))
    throw new Error("The pasted token holds characters a token cannot have: paste it again.");
  return `Bearer ${bare}`;
}
