import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { fetchDevToken, type IdentityProbe, probeIdentity } from "../console/api.ts";
import { type OidcSession, useOidcSession } from "../sign-in/use-oidc-session.ts";
import { type ApiProblem, governanceRequest, problemsOfError } from "./api.ts";
import { ME } from "./queries.ts";
import type { Officer } from "./types.ts";

export type IdentityState = IdentityProbe | { readonly mode: "checking" };

export type SignIn =
  | {
      readonly status: "signed-out";
      readonly problems?: readonly ApiProblem[];
      /**
       * The identity provider signed this person in, but the governance API refused them (not an
       * officer): signing in again would only loop back here, so they are offered sign-out.
       */
      readonly refused?: { readonly name: string };
    }
  | { readonly status: "signing-in"; readonly who: string }
  | { readonly status: "signed-in"; readonly authorization: string; readonly officer: Officer };

export interface Session {
  readonly identity: IdentityState;
  readonly signIn: SignIn;
  signInAs(username: string): void;
  signInWithToken(token: string): void;
  /** Identity mode "oidc": to the organisation's sign-in page and back. */
  signInWithProvider(): void;
  signOut(): void;
}

/** Whether the governance API accepted the provider's user as an officer. */
export type Confirmation =
  | { readonly user: string; readonly officer: Officer }
  | { readonly user: string; readonly problems: readonly ApiProblem[] };

/** Where sign-in through the identity provider stands, with the governance API's answer. */
export function providerSignInOf(
  providerSession: OidcSession,
  confirmation: Confirmation | undefined,
): SignIn {
  switch (providerSession.status) {
    case "off":
    case "signed-out":
      return {
        status: "signed-out",
        ...(providerSession.status === "signed-out" && providerSession.message
          ? { problems: [{ message: providerSession.message }] }
          : {}),
      };
    case "working":
      return { status: "signing-in", who: "your organisation's account" };
    case "signed-in": {
      if (confirmation?.user !== providerSession.user.id)
        return { status: "signing-in", who: providerSession.user.name };
      return "officer" in confirmation
        ? {
            status: "signed-in",
            authorization: providerSession.authorization,
            officer: confirmation.officer,
          }
        : {
            status: "signed-out",
            problems: confirmation.problems,
            refused: { name: providerSession.user.name },
          };
    }
  }
}

/**
 * Governance work spans reloads (reading a proposal, then the access log), so a development or
 * pasted token stays in sessionStorage: it survives a reload but not closing the tab, and is
 * cleared on sign-out. The token grants governance of one agency's rules, never subject records.
 * Tokens from the identity provider (mode "oidc") are kept in memory only, and renewed there; after
 * a reload the provider's own session signs the officer in again with one redirect.
 */
const TOKEN_KEY = "mash-governance:authorization";

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** Accepts a bare token or one pasted with its "Bearer " prefix. */
export function bearer(token: string): string {
  const trimmed = token.trim();
  return /^bearer\s+/i.test(trimmed)
    ? `Bearer ${trimmed.replace(/^bearer\s+/i, "")}`
    : `Bearer ${trimmed}`;
}

export function useSession(): Session {
  const [identity, setIdentity] = useState<IdentityState>({ mode: "checking" });
  const [signIn, setSignIn] = useState<SignIn>({ status: "signed-out" });
  const attempt = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    let live = true;
    probeIdentity().then((probe) => {
      if (live) setIdentity(probe);
    });
    return () => {
      live = false;
    };
  }, []);

  /** Asks the API who the token belongs to; only an officer it accepts counts as signed in. */
  const confirm = useCallback((authorization: string, who: string, controller: AbortController) => {
    setSignIn({ status: "signing-in", who });
    governanceRequest<{ me: Officer }>(authorization, ME, undefined, controller.signal).then(
      ({ me }) => {
        if (controller.signal.aborted) return;
        storage()?.setItem(TOKEN_KEY, authorization);
        setSignIn({ status: "signed-in", authorization, officer: me });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        storage()?.removeItem(TOKEN_KEY);
        setSignIn({ status: "signed-out", problems: problemsOfError(error) });
      },
    );
  }, []);

  const begin = useCallback(() => {
    attempt.current?.abort();
    const controller = new AbortController();
    attempt.current = controller;
    return controller;
  }, []);

  // A token kept from earlier in this tab's life signs the officer straight back in.
  useEffect(() => {
    const kept = storage()?.getItem(TOKEN_KEY);
    if (kept) confirm(kept, "the officer signed in before", begin());
  }, [confirm, begin]);

  const signInAs = useCallback(
    (username: string) => {
      const controller = begin();
      setSignIn({ status: "signing-in", who: username });
      fetchDevToken(username, controller.signal).then(
        (token) => {
          if (!controller.signal.aborted) confirm(`Bearer ${token}`, username, controller);
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setSignIn({ status: "signed-out", problems: problemsOfError(error) });
        },
      );
    },
    [begin, confirm],
  );

  const signInWithToken = useCallback(
    (token: string) => confirm(bearer(token), "the pasted token", begin()),
    [begin, confirm],
  );

  const provider = useOidcSession(identity.mode === "oidc" ? identity.config : undefined, {
    // One address to register with the provider, though the page also answers at /governance/.
    redirectPath: "/governance",
  });
  const providerSession = provider.session;
  const providerUser = providerSession.status === "signed-in" ? providerSession.user.id : undefined;
  const providerAuthorization = useRef<string | undefined>(undefined);
  providerAuthorization.current =
    providerSession.status === "signed-in" ? providerSession.authorization : undefined;
  const [confirmation, setConfirmation] = useState<Confirmation | undefined>();
  // Once per user, not per renewed token: renewal does not change who the officer is.
  useEffect(() => {
    const authorization = providerAuthorization.current;
    if (!providerUser || !authorization) {
      setConfirmation(undefined);
      return;
    }
    const controller = new AbortController();
    governanceRequest<{ me: Officer }>(authorization, ME, undefined, controller.signal).then(
      ({ me }) => {
        if (!controller.signal.aborted) setConfirmation({ user: providerUser, officer: me });
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setConfirmation({ user: providerUser, problems: problemsOfError(error) });
      },
    );
    return () => controller.abort();
  }, [providerUser]);

  const providerSignIn = useMemo(
    () => providerSignInOf(providerSession, confirmation),
    [providerSession, confirmation],
  );

  const { signIn: signInWithProvider, signOut: signOutOfProvider } = provider;
  const signOut = useCallback(() => {
    attempt.current?.abort();
    storage()?.removeItem(TOKEN_KEY);
    setSignIn({ status: "signed-out" });
    signOutOfProvider();
  }, [signOutOfProvider]);

  return {
    identity,
    signIn: identity.mode === "oidc" ? providerSignIn : signIn,
    signInAs,
    signInWithToken,
    signInWithProvider,
    signOut,
  };
}
