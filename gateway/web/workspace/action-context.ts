import type { MashClient } from "@mash/client-kit";
import { useCallback, useMemo, useRef } from "react";
import type { Practitioner } from "./sign-in.ts";
import { useSubmit } from "./use-submit.ts";

export interface ActionContext {
  readonly client: MashClient;
  readonly user: Practitioner;
  readonly enquiryId: string;
  readonly open: boolean;
  readonly lead: string | null | undefined;
  /** Agencies asked and not released. */
  readonly asked: readonly string[];
  /** Called after a form recorded something, with what to announce. */
  readonly recorded: (what: string) => void;
}

/** One form's mutation, sent under the enquiry's purpose; the page reloads once it is recorded. */
export function useAction<TData extends Record<string, unknown>, TVars>(
  context: ActionContext,
  document: Parameters<typeof useSubmit<TData, TVars>>[1],
  announce: string,
) {
  const options = useMemo(() => ({ enquiry: context.enquiryId }), [context.enquiryId]);
  // The latest page callback, without making a new submit function on every render.
  const recorded = useRef(context.recorded);
  recorded.current = context.recorded;
  const onDone = useCallback(() => recorded.current(announce), [announce]);
  return useSubmit(context.client, document, options, onDone);
}
