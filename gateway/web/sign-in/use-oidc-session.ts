import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type AddressBar, CallbackAnswer } from "./callback-answer.ts";
import { discover, type ProviderMetadata } from "./discovery.ts";
import type { SignedInUser } from "./id-token.ts";
import { beginSignIn, finishSignIn, redirectUriOf, renewTokens, type TokenSet } from "./oidc.ts";
import { type RenewalHandle, scheduleRenewal } from "./renewal.ts";
import { revokeForSignOut } from "./sign-out.ts";

export type { SignedInUser } from "./id-token.ts";

/** Where a sign-in through the organisation's identity provider stands. */
export type OidcSession =
  /** No provider configured for the browser (development sign-in, or none). */
  | { readonly status: "off" }
  /** Nobody signed in; `message` says why when it was not the user's choice (expiry, a refusal). */
  | { readonly status: "signed-out"; readonly message?: string }
  /** On the way to or back from the provider. */
  | { readonly status: "working"; readonly message: string }
  | {
      readonly status: "signed-in";
      /** `Bearer <access token>`: changes at each renewal, the user does not. */
      readonly authorization: string;
      readonly user: SignedInUser;
      readonly expiresAt: number;
    };

export interface OidcSessionControls {
  readonly session: OidcSession;
  /** Sends the browser to the provider's sign-in page; it comes back to this page. */
  signIn(): void;
  /** Forgets the tokens, revokes the refresh token and ends the provider's session if it can. */
  signOut(): void;
}

type State =
  | { readonly status: "signed-out"; readonly message?: string }
  | { readonly status: "working"; readonly message: string }
  | { readonly status: "signed-in"; readonly tokens: TokenSet };

export const EXPIRED_MESSAGE = "Your sign-in has expired: sign in again.";

// One discovery per issuer per page: it changes rarely, and every action needs it.
const discovered = new Map<string, Promise<ProviderMetadata>>();
function metadataFor(issuer: string): Promise<ProviderMetadata> {
  let metadata = discovered.get(issuer);
  if (!metadata) {
    metadata = discover(issuer);
    // A provider that was down is asked again next time.
    metadata.catch(() => discovered.delete(issuer));
    discovered.set(issuer, metadata);
  }
  return metadata;
}

// One per page: the answer it was opened with belongs to the page, not to one hook's mount.
const callbackAnswer = new CallbackAnswer();
const addressBar: AddressBar = {
  get href() {
    return window.location.href;
  },
  replace: (href) => window.history.replaceState(window.history.state, "", href),
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Sign-in through the organisation's identity provider for a browser app: authorization code
 * with PKCE, tokens in this hook's memory only (a reload or a closed tab forgets them; the
 * provider's own session makes signing in again one redirect), renewed with the refresh token
 * before the access token expires, and "signed out" with a reason when renewal is not possible.
 */
export interface OidcSessionOptions {
  /**
   * The path the provider sends the browser back to, registered with it as a redirect URI (and
   * as the post-logout redirect URI); the page's own path when not given. After sign-in the
   * address bar returns to wherever the user was.
   */
  readonly redirectPath?: string;
}

export function useOidcSession(
  config: OidcClientConfig | undefined,
  options: OidcSessionOptions = {},
): OidcSessionControls {
  const { redirectPath } = options;
  const [state, setState] = useState<State>({ status: "signed-out" });
  const signOuts = useRef(0);

  useEffect(() => {
    if (!config) return;
    const answer = callbackAnswer.read(addressBar, (href) =>
      metadataFor(config.issuer).then((metadata) =>
        finishSignIn(config, metadata, href, window.sessionStorage),
      ),
    );
    if (!answer) return;
    let live = true;
    const since = signOuts.current;
    setState({ status: "working", message: "Completing sign-in…" });
    answer.then(
      (tokens) => {
        // Signed out while the answer was exchanged: the sign-out revokes these tokens.
        if (!live || signOuts.current !== since) return;
        // Taken: from here the tokens live in this hook's state only.
        callbackAnswer.clear(answer);
        setState({ status: "signed-in", tokens });
      },
      (error: unknown) => {
        if (!live || signOuts.current !== since) return;
        callbackAnswer.clear(answer);
        setState({ status: "signed-out", message: messageOf(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [config]);

  const tokens = state.status === "signed-in" ? state.tokens : undefined;
  const renewal = useRef<RenewalHandle | undefined>(undefined);
  useEffect(() => {
    if (!config || !tokens) return;
    const handle = scheduleRenewal(tokens, {
      renew: (current) =>
        metadataFor(config.issuer).then((metadata) => renewTokens(config, metadata, current)),
      renewed: (renewed) => setState({ status: "signed-in", tokens: renewed }),
      expired: (why) =>
        setState({
          status: "signed-out",
          message: why ? `${EXPIRED_MESSAGE} (${why})` : EXPIRED_MESSAGE,
        }),
    });
    renewal.current = handle;
    return () => {
      handle.stop();
      if (renewal.current === handle) renewal.current = undefined;
    };
  }, [config, tokens]);

  const tokensRef = useRef(tokens);
  tokensRef.current = tokens;

  const signIn = useCallback(() => {
    if (!config) return;
    setState({ status: "working", message: "Opening your organisation's sign-in page…" });
    metadataFor(config.issuer)
      .then((metadata) =>
        beginSignIn(
          config,
          metadata,
          window.location.href,
          window.sessionStorage,
          (url) => window.location.assign(url),
          redirectUriOf(window.location.href, redirectPath),
        ),
      )
      .catch((error: unknown) => setState({ status: "signed-out", message: messageOf(error) }));
  }, [config, redirectPath]);

  const signOut = useCallback(() => {
    const current = tokensRef.current;
    // Synchronously, before the state change renders: a renewal finishing in between must not
    // sign the user back in, and what it brings back must be revoked too.
    const renewing = renewal.current?.stop();
    renewal.current = undefined;
    const answering = callbackAnswer.clear();
    signOuts.current += 1;
    setState({ status: "signed-out" });
    if (!config || (!current && !renewing && !answering)) return;
    const back = redirectUriOf(window.location.href, redirectPath);
    metadataFor(config.issuer)
      .then(async (metadata) => {
        const coming = renewing ?? answering;
        const url = await revokeForSignOut(config, metadata, current, coming, back);
        if (url) window.location.assign(url);
      })
      .catch(() => undefined);
  }, [config, redirectPath]);

  const session = useMemo<OidcSession>(() => {
    if (!config) return { status: "off" };
    if (state.status !== "signed-in") return state;
    const { authorization, user, expiresAt } = state.tokens;
    return { status: "signed-in", authorization, user, expiresAt };
  }, [config, state]);

  return { session, signIn, signOut };
}
