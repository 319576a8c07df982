import { useCallback, useEffect, useRef, useState } from "react";
import { fetchDevToken, type IdentityProbe, probeIdentity } from "../console/api.ts";
import { type ApiProblem, governanceRequest, problemsOfError } from "./api.ts";
import { ME } from "./queries.ts";
import type { Officer } from "./types.ts";

export type IdentityState = IdentityProbe | { readonly mode: "checking" };

export type SignIn =
  | { readonly status: "signed-out"; readonly problems?: readonly ApiProblem[] }
  | { readonly status: "signing-in"; readonly who: string }
  | { readonly status: "signed-in"; readonly authorization: string; readonly officer: Officer };

export interface Session {
  readonly identity: IdentityState;
  readonly signIn: SignIn;
  signInAs(username: string): void;
  signInWithToken(token: string): void;
  signOut(): void;
}

/**
 * Governance work spans reloads (reading a proposal, then the access log), so the token stays in
 * sessionStorage: it survives a reload but not closing the tab, and is cleared on sign-out. The
 * token grants governance of one agency's rules, never subject records.
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

  const signOut = useCallback(() => {
    attempt.current?.abort();
    storage()?.removeItem(TOKEN_KEY);
    setSignIn({ status: "signed-out" });
  }, []);

  return { identity, signIn, signInAs, signInWithToken, signOut };
}
