import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { type ApiProblem, problemsOfError } from "../shared/api-error.ts";
import { governanceRequest } from "./api.ts";
import type { Officer } from "./types.ts";

export interface GovernanceContextValue {
  readonly authorization: string;
  readonly officer: Officer;
  /** Bumped after every change to stored versions or notifications, so lists reload. */
  readonly revision: number;
  changed(): void;
  /** How often each tab has been chosen: a panel that shows server state reloads on each visit. */
  readonly visits: Readonly<Record<string, number>>;
  /** Puts a policy text in the rule editor and shows it (from a version in the history). */
  openInEditor(text: string, label: string): void;
  /** Shows a tab, as if chosen (from the inbox). */
  showTab(id: string): void;
  /** Shows a version's card in Proposals and history and moves focus to it (from the inbox). */
  showVersion(number: number): void;
  /** The version last asked for by showVersion; the nonce tells two asks for one apart. */
  readonly shownVersion: { readonly number: number; readonly nonce: number } | undefined;
}

export const GovernanceContext = createContext<GovernanceContextValue | undefined>(undefined);

export function useGovernance(): GovernanceContextValue {
  const value = useContext(GovernanceContext);
  if (!value) throw new Error("useGovernance outside a signed-in GovernanceContext");
  return value;
}

export type Loadable<T> =
  | { readonly status: "idle" }
  | { readonly status: "loading"; readonly previous?: T }
  | { readonly status: "ready"; readonly data: T }
  | { readonly status: "error"; readonly problems: readonly ApiProblem[] };

/** Loads `query` whenever its variables, the token or the revision change; stale answers drop. */
export function useQuery<T>(
  query: string,
  variables: Record<string, unknown> | undefined,
  options: { skip?: boolean; refreshOn?: number } = {},
): Loadable<T> & { reload(): void } {
  const { authorization, revision } = useGovernance();
  const [state, setState] = useState<Loadable<T>>({ status: "idle" });
  const [nonce, setNonce] = useState(0);
  const key = JSON.stringify(variables ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision, nonce and refreshOn are reload triggers
  useEffect(() => {
    if (options.skip) return;
    const controller = new AbortController();
    setState((current) => ({
      status: "loading",
      previous: current.status === "ready" ? current.data : undefined,
    }));
    governanceRequest<T>(
      authorization,
      query,
      JSON.parse(key) ?? undefined,
      controller.signal,
    ).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "ready", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState({ status: "error", problems: problemsOfError(error) });
      },
    );
    return () => controller.abort();
  }, [authorization, query, key, revision, nonce, options.skip, options.refreshOn]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}

export type Outcome<T> =
  | { readonly status: "idle" }
  | { readonly status: "running" }
  | { readonly status: "done"; readonly data: T }
  | { readonly status: "error"; readonly problems: readonly ApiProblem[] };

/** Runs an operation on demand (a mutation, or a query behind a button) and keeps its outcome. */
export function useOperation<T>(query: string) {
  const { authorization } = useGovernance();
  const [outcome, setOutcome] = useState<Outcome<T>>({ status: "idle" });
  const latest = useRef(0);
  const run = useCallback(
    async (variables?: Record<string, unknown>): Promise<T | undefined> => {
      const ticket = ++latest.current;
      setOutcome({ status: "running" });
      try {
        const data = await governanceRequest<T>(authorization, query, variables);
        if (ticket === latest.current) setOutcome({ status: "done", data });
        return data;
      } catch (error) {
        if (ticket === latest.current)
          setOutcome({ status: "error", problems: problemsOfError(error) });
        return undefined;
      }
    },
    [authorization, query],
  );
  const reset = useCallback(() => {
    latest.current++;
    setOutcome({ status: "idle" });
  }, []);
  return { outcome, run, reset };
}

/** The latest data, kept while a reload is on its way so the screen does not blank. */
export function latest<T>(loadable: Loadable<T>): T | undefined {
  return loadable.status === "ready"
    ? loadable.data
    : loadable.status === "loading"
      ? loadable.previous
      : undefined;
}
