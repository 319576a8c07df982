import type { MashClient, RequestOptions, TypedDocumentNode } from "@mash/client-kit";
import type { GraphQLFormattedError } from "graphql";
import { useCallback, useEffect, useRef, useState } from "react";
import { type ApiProblem, problemsOfError, requestIdOf } from "../shared/api-error.ts";

export type Loaded<TData> =
  | { readonly status: "loading" }
  | {
      readonly status: "ready";
      readonly data: TData | null | undefined;
      readonly errors: readonly GraphQLFormattedError[];
      readonly requestId: string | undefined;
    }
  | {
      readonly status: "failed";
      readonly problems: readonly ApiProblem[];
      readonly requestId: string | undefined;
    };

/** A refusal or a transport failure, as the shared error list shows it. */
export function failureOf(error: unknown): Extract<Loaded<never>, { status: "failed" }> {
  return { status: "failed", problems: problemsOfError(error), requestId: requestIdOf(error) };
}

/**
 * Runs one query whenever its variables or purpose change, and again on `reload()`. The variables
 * are compared by value, so a page may pass a fresh object on every render.
 */
export function useOperation<TData, TVars extends Record<string, unknown>>(
  client: MashClient,
  document: TypedDocumentNode<TData, TVars>,
  variables: TVars,
  options: Omit<RequestOptions, "signal"> = {},
): Loaded<TData> & { reload(): void } {
  const [state, setState] = useState<Loaded<TData>>({ status: "loading" });
  const [round, setRound] = useState(0);
  const base = JSON.stringify([variables, options.enquiry ?? "", options.breakGlass ?? ""]);
  const key = `${base}#${round}`;
  // A reload keeps the page it is refreshing on screen (with a form's outcome) until it answers.
  const shownFor = useRef("");

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for variables and options by value
  useEffect(() => {
    const controller = new AbortController();
    if (shownFor.current !== base) setState({ status: "loading" });
    shownFor.current = base;
    // The kit types variables per document; here they pass through unchanged, so the cast only
    // restates that the caller's TVars are this document's.
    const send = client.request as (
      doc: TypedDocumentNode<TData, TVars>,
      vars: TVars,
      opts: RequestOptions,
    ) => ReturnType<MashClient["request"]>;
    send(document, variables, { ...options, signal: controller.signal }).then(
      (result) => {
        if (controller.signal.aborted) return;
        setState({
          status: "ready",
          data: result.data as TData | null | undefined,
          errors: result.errors,
          requestId: result.requestId,
        });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState(failureOf(error));
      },
    );
    return () => controller.abort();
  }, [client, document, key]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}
