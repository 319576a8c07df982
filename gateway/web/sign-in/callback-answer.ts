/**
 * The sign-in answer a page was opened with. A code can be exchanged only once, and React's
 * StrictMode (or a remount) runs the effect that reads it more than once, so the exchange is
 * shared, but only while the page is still where the answer left it, and only until someone has
 * taken the tokens: they must not outlive a sign-out, nor sign the user back in later.
 */
import type { TokenSet } from "./oidc.ts";
import { isCallback, withoutCallbackParams } from "./oidc.ts";

/** The browser's address bar, as the answer reads and rewrites it. */
export interface AddressBar {
  readonly href: string;
  replace(href: string): void;
}

export type Exchange = (callbackHref: string) => Promise<TokenSet & { readonly returnTo: string }>;

export class CallbackAnswer {
  #held: { readonly href: string; readonly promise: Promise<TokenSet> } | undefined;

  /** The exchange for the answer in the address bar, started if it is one and not yet begun. */
  read(bar: AddressBar, exchange: Exchange): Promise<TokenSet> | undefined {
    const href = bar.href;
    if (this.#held?.href === href) return this.#held.promise;
    this.#held = undefined;
    if (!isCallback(href)) return undefined;
    // The code and state leave the address bar (and so history and bookmarks) at once.
    const left = withoutCallbackParams(href);
    bar.replace(left);
    const promise = exchange(href).then(({ returnTo, ...tokens }) => {
      // Back where the user was when they pressed "Sign in" (an app's own route, say).
      bar.replace(returnTo);
      return tokens;
    });
    promise.catch(() => undefined);
    this.#held = { href: left, promise };
    return promise;
  }

  /**
   * Forgets the exchange (`promise` only, when given): its tokens were taken, or the user signed
   * out. Returns what it forgot, whose tokens a sign-out must revoke.
   */
  clear(promise?: Promise<TokenSet>): Promise<TokenSet> | undefined {
    const held = this.#held?.promise;
    if (!held || (promise && held !== promise)) return undefined;
    this.#held = undefined;
    return held;
  }
}
