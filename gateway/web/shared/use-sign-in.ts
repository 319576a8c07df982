import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { SignedInUser } from "../sign-in/id-token.ts";
import { useOidcSession } from "../sign-in/use-oidc-session.ts";
import { problemsOfError } from "./api-error.ts";
import { type DevUser, fetchDevToken, probeIdentity, type SignInMethod } from "./dev-sign-in.ts";
import { messageOf } from "./message-of.ts";
import {
  type Acceptance,
  bearer,
  providerSessionOf,
  type Session,
  signedInId,
} from "./sign-in-session.ts";
import { SwitchWatch } from "./switch-watch.ts";

/** How the token the app is asked to accept was come by. */
export type Via =
  | { readonly via: "development"; readonly user: DevUser }
  | { readonly via: "provider"; readonly user: SignedInUser }
  /** Pasted by the person, or kept from earlier in this tab (keepKey). */
  | { readonly via: "token" };

export interface SignInOptions<U> {
  /** Where the identity provider sends the browser back to: one address registered with it. */
  readonly redirectPath: string;
  /** Who the holder of `authorization` is to this app; throws or rejects to refuse them. */
  accept(authorization: string, via: Via, signal: AbortSignal): U | Promise<U>;
  idOf(user: U): string;
  /**
   * What the app must not carry from one person to the next (a purpose, an open page). Runs
   * before any sign-in, sign-out or change of user starts, and when the signed-in person goes
   * without one (an expiry); `previous` is who was signed in, "" for no one.
   */
  onSwitch?(previous: string): void;
  /**
   * sessionStorage key that keeps a development or pasted token across reloads of this tab,
   * cleared at sign-out. Without it (the default) tokens live in memory only. The provider's
   * tokens are never kept: its own session signs the person in again with one redirect.
   */
  readonly keepKey?: string;
}

export interface SignInState<U> {
  readonly method: SignInMethod;
  readonly session: Session<U>;
  /** The development user chosen in the picker ("" for none), kept while signing in or failing. */
  readonly chosen: string;
  /** Signs in as a development user; an unknown or empty username signs out. */
  choose(username: string): void;
  /** Signs in with a pasted access token, bare or with its "Bearer " prefix. */
  signInWithToken(token: string): void;
  /** Identity mode "oidc": to the organisation's sign-in page, and back to the same page. */
  signIn(): void;
  /** Forgets the token (and any kept one); with a provider, also ends its session. */
  signOut(): void;
}

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * The one sign-in of the three apps: the development picker, a pasted token or the identity
 * provider, each ending in the same Session once the app has accepted who the token is for.
 */
export function useSignIn<U>(options: SignInOptions<U>): SignInState<U> {
  const { redirectPath, keepKey } = options;
  // Read at each use: callers pass inline functions without making every callback new.
  const latest = useRef(options);
  latest.current = options;

  const [method, setMethod] = useState<SignInMethod>({ mode: "checking" });
  const [local, setLocal] = useState<Session<U>>({ status: "signed-out" });
  const [chosen, setChosen] = useState("");
  const attempt = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    let live = true;
    probeIdentity().then((probe) => {
      if (live) setMethod(probe);
    });
    return () => {
      live = false;
    };
  }, []);

  const watch = useRef<SwitchWatch | undefined>(undefined);
  watch.current ??= new SwitchWatch((previous) => latest.current.onSwitch?.(previous));
  const switching = useCallback(() => watch.current?.acted(), []);

  const begin = useCallback(() => {
    attempt.current?.abort();
    const controller = new AbortController();
    attempt.current = controller;
    switching();
    return controller;
  }, [switching]);

  const confirm = useCallback(
    (authorization: string, via: Via, message: string, controller: AbortController) => {
      const { signal } = controller;
      setLocal({ status: "working", message });
      Promise.resolve()
        .then(() => latest.current.accept(authorization, via, signal))
        .then(
          (user) => {
            if (signal.aborted) return;
            if (keepKey) storage()?.setItem(keepKey, authorization);
            const id = latest.current.idOf(user);
            setLocal({ status: "signed-in", id, user, authorization });
          },
          (error: unknown) => {
            if (signal.aborted) return;
            if (keepKey) storage()?.removeItem(keepKey);
            setLocal({ status: "signed-out", problems: problemsOfError(error) });
          },
        );
    },
    [keepKey],
  );

  // A token kept from earlier in this tab's life signs the person straight back in.
  useEffect(() => {
    const kept = keepKey ? storage()?.getItem(keepKey) : undefined;
    if (!kept) return;
    const controller = new AbortController();
    attempt.current = controller;
    confirm(kept, { via: "token" }, "Signing in as before…", controller);
    return () => controller.abort();
  }, [keepKey, confirm]);

  const choose = useCallback(
    (username: string) => {
      const controller = begin();
      const user =
        method.mode === "development"
          ? method.users.find((candidate) => candidate.username === username)
          : undefined;
      setChosen(user?.username ?? "");
      if (!user) {
        if (keepKey) storage()?.removeItem(keepKey);
        setLocal({ status: "signed-out" });
        return;
      }
      const message = `Signing in as ${user.name}…`;
      setLocal({ status: "working", message });
      fetchDevToken(user.username, controller.signal).then(
        (token) => {
          if (!controller.signal.aborted)
            confirm(`Bearer ${token}`, { via: "development", user }, message, controller);
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setLocal({ status: "signed-out", problems: problemsOfError(error) });
        },
      );
    },
    [method, begin, confirm, keepKey],
  );

  const signInWithToken = useCallback(
    (token: string) => {
      let authorization: string;
      try {
        authorization = bearer(token);
      } catch (error) {
        setLocal({ status: "signed-out", problems: [{ message: messageOf(error) }] });
        return;
      }
      confirm(authorization, { via: "token" }, "Signing in with the pasted token…", begin());
    },
    [begin, confirm],
  );

  const provider = useOidcSession(method.mode === "oidc" ? method.config : undefined, {
    redirectPath,
  });
  const providerSession = provider.session;
  const providerUser = providerSession.status === "signed-in" ? providerSession.user : undefined;
  const providerAuthorization = useRef<string | undefined>(undefined);
  providerAuthorization.current =
    providerSession.status === "signed-in" ? providerSession.authorization : undefined;
  const [acceptance, setAcceptance] = useState<Acceptance<U> | undefined>();
  // Once per person, not per renewed token: a renewal does not change who they are.
  const providerUserId = providerUser?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: providerUser is read for its id only
  useEffect(() => {
    const authorization = providerAuthorization.current;
    if (!providerUser || !authorization) {
      setAcceptance(undefined);
      return;
    }
    const controller = new AbortController();
    const who = providerUser.id;
    Promise.resolve()
      .then(() =>
        latest.current.accept(
          authorization,
          { via: "provider", user: providerUser },
          controller.signal,
        ),
      )
      .then(
        (user) => {
          if (!controller.signal.aborted) setAcceptance({ for: who, user });
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setAcceptance({ for: who, problems: problemsOfError(error) });
        },
      );
    return () => controller.abort();
  }, [providerUserId]);

  const fromProvider = useMemo(
    () => providerSessionOf(providerSession, acceptance, (user) => latest.current.idOf(user)),
    [providerSession, acceptance],
  );
  const session = method.mode === "oidc" ? fromProvider : local;

  // Someone signed in goes without an action of theirs (an expiry): a switch all the same.
  const id = signedInId(session);
  useEffect(() => watch.current?.saw(id), [id]);

  const { signIn: toProvider, signOut: outOfProvider } = provider;
  const signIn = useCallback(() => {
    switching();
    toProvider();
  }, [switching, toProvider]);

  const signOut = useCallback(() => {
    attempt.current?.abort();
    attempt.current = undefined;
    switching();
    if (keepKey) storage()?.removeItem(keepKey);
    setChosen("");
    setLocal({ status: "signed-out" });
    outOfProvider();
  }, [switching, keepKey, outOfProvider]);

  return { method, session, chosen, choose, signInWithToken, signIn, signOut };
}
