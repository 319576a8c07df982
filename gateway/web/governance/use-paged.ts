import { useCallback, useEffect, useRef, useState } from "react";
import { type ApiProblem, problemsOfError } from "../shared/api-error.ts";
import { governanceRequest } from "./api.ts";
import { useGovernance } from "./use-api.ts";

export interface Paged<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly problems: readonly ApiProblem[] | undefined;
  loadMore(): void;
  reload(): void;
}

/**
 * A cursor-paged list: the first page loads whenever the variables (filters) or the revision
 * change; "Load more" appends the next one. A reload discards pages still on their way.
 */
export function usePaged<T, Data>(
  query: string,
  variables: Record<string, unknown>,
  read: (data: Data) => { items: readonly T[]; nextCursor: string | null },
  pageSize = 50,
  refreshOn?: number,
): Paged<T> {
  const { authorization, revision } = useGovernance();
  const [items, setItems] = useState<readonly T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [problems, setProblems] = useState<readonly ApiProblem[] | undefined>();
  const [nonce, setNonce] = useState(0);
  const generation = useRef(0);
  const readRef = useRef(read);
  readRef.current = read;
  const key = JSON.stringify(variables);

  const fetchPage = useCallback(
    (after: string | null, append: boolean) => {
      const ticket = append ? generation.current : ++generation.current;
      setLoading(true);
      setProblems(undefined);
      const vars = { ...(JSON.parse(key) as Record<string, unknown>), first: pageSize, after };
      governanceRequest<Data>(authorization, query, vars).then(
        (data) => {
          if (ticket !== generation.current) return;
          const page = readRef.current(data);
          setItems((current) => (append ? [...current, ...page.items] : page.items));
          setNextCursor(page.nextCursor);
          setLoading(false);
        },
        (error: unknown) => {
          if (ticket !== generation.current) return;
          setProblems(problemsOfError(error));
          setLoading(false);
        },
      );
    },
    [authorization, query, key, pageSize],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: revision, nonce and refreshOn are reload triggers
  useEffect(() => fetchPage(null, false), [fetchPage, revision, nonce, refreshOn]);

  return {
    items,
    nextCursor,
    loading,
    problems,
    loadMore: () => {
      if (nextCursor) fetchPage(nextCursor, true);
    },
    reload: () => setNonce((n) => n + 1),
  };
}
