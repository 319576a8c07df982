import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useOidcSession } from "../sign-in/use-oidc-session.ts";
import {
  fetchToken,
  messageOf,
  type Practitioner,
  practitionerOf,
  probeSignIn,
  type SignInMethod,
  WORKSPACE_PATH,
} from "./sign-in.ts";

export type Session =
  /** `message` says why when it was not the user's choice (an expiry, a refusal, a failure). */
  | { readonly status: "signed-out"; readonly message?: string }
  | { readonly status: "working"; readonly message: string }
  | {
      readonly status: "signed-in";
      readonly user: Practitioner;
      /** `Bearer <token>`: the provider's changes at each renewal, the user does not. */
      readonly authorization: string;
    }
  /** Signed in at the provider, but as no one the workspace can act for: sign out to change. */
  | { readonly status: "refused"; readonly message: string };

export interface SignInState {
  readonly method: SignInMethod;
  readonly session: Session;
  /** The development user chosen in the picker ("" for none), shown while signing in or after. */
  readonly chosen: string;
  /** Signs in as a development user; an unknown or empty name signs out. */
  choose(username: string): void;
  /** Identity mode "oidc": to the organisation's sign-in page, and back to the same route. */
  signIn(): void;
  /** Identity mode "oidc": forgets the tokens and ends the provider's session. */
  signOut(): void;
}

/**
 * Who the workspace acts as. The caller keys everything else (the open enquiry, any break-glass
 * reason being typed) on the signed-in user, so changing user, signing in or signing out starts
 * from a clean page; a renewed token for the same user changes nothing on it.
 */
export function useSignIn(): SignInState {
  const [method, setMethod] = useState<SignInMethod>({ mode: "checking" });
  const [development, setDevelopment] = useState<Session>({ status: "signed-out" });
  const [chosen, setChosen] = useState("");
  const attempt = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    let live = true;
    probeSignIn().then((probe) => {
      if (live) setMethod(probe);
    });
    return () => {
      live = false;
    };
  }, []);

  const choose = useCallback(
    (username: string) => {
      attempt.current?.abort();
      const user =
        method.mode === "development"
          ? method.users.find((candidate) => candidate.username === username)
          : undefined;
      setChosen(user?.username ?? "");
      if (!user) {
        attempt.current = undefined;
        setDevelopment({ status: "signed-out" });
        return;
      }
      const controller = new AbortController();
      attempt.current = controller;
      setDevelopment({ status: "working", message: `Signing in as ${user.name}…` });
      fetchToken(user.username, controller.signal).then(
        (token) => {
          if (!controller.signal.aborted)
            setDevelopment({ status: "signed-in", user, authorization: `Bearer ${token}` });
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setDevelopment({
              status: "signed-out",
              message: `Could not sign in: ${messageOf(error)}`,
            });
        },
      );
    },
    [method],
  );

  const provider = useOidcSession(method.mode === "oidc" ? method.config : undefined, {
    // One address to register with the provider, whichever hash route the user is on.
    redirectPath: WORKSPACE_PATH,
  });
  const providerSession = provider.session;
  const claims = method.mode === "oidc" ? method.config.claims : undefined;
  const fromProvider = useMemo<Session | undefined>(() => {
    switch (providerSession.status) {
      case "off":
        return undefined;
      case "signed-out":
      case "working":
        return providerSession;
      case "signed-in": {
        const user = practitionerOf(providerSession.user);
        return user
          ? { status: "signed-in", user, authorization: providerSession.authorization }
          : {
              status: "refused",
              message: `Signed in as ${providerSession.user.name} (${providerSession.user.id}), but the identity provider names no agency for them (claim "${claims?.agency}"): the workspace shows an agency's enquiries. Sign out, or ask your administrator.`,
            };
      }
    }
  }, [providerSession, claims]);

  return {
    method,
    session: fromProvider ?? development,
    chosen,
    choose,
    signIn: provider.signIn,
    signOut: provider.signOut,
  };
}
