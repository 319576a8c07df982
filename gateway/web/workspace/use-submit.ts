import type { MashClient, RequestOptions, TypedDocumentNode } from "@mash/client-kit";
import type { GraphQLFormattedError } from "graphql";
import { useCallback, useEffect, useRef, useState } from "react";
import { failureOf } from "./use-operation.ts";

export type Submission =
  | { readonly status: "idle" }
  | { readonly status: "sending" }
  | { readonly status: "done"; readonly requestId: string | undefined }
  | { readonly status: "refused"; readonly messages: string[]; readonly requestId?: string };

/** The graph's own words for a refusal; `field` added when the message does not name it. */
export function refusalMessages(errors: readonly GraphQLFormattedError[]): string[] {
  return errors.map((error) => {
    const field = error.extensions?.field;
    return typeof field === "string" && !error.message.includes(field)
      ? `${error.message} (${field})`
      : error.message;
  });
}

/**
 * Sends one mutation for a form. A mutation whose root field came back null was refused, and the
 * graph's messages say why (BAD_USER_INPUT names the argument); they are shown as given.
 */
export function useSubmit<TData extends Record<string, unknown>, TVars>(
  client: MashClient,
  document: TypedDocumentNode<TData, TVars>,
  options: Omit<RequestOptions, "signal">,
  onDone: (data: TData) => void,
) {
  const [submission, setSubmission] = useState<Submission>({ status: "idle" });
  // A form unmounts when its page goes (another enquiry, a change of user): an answer that
  // arrives after that is nobody's now, so it neither updates the form nor announces itself.
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const submit = useCallback(
    async (variables: TVars) => {
      setSubmission({ status: "sending" });
      // As in use-operation.ts: the caller's variables are this document's.
      const send = client.request as (
        doc: TypedDocumentNode<TData, TVars>,
        vars: TVars,
        opts: RequestOptions,
      ) => ReturnType<MashClient["request"]>;
      try {
        const result = await send(document, variables, options);
        if (!live.current) return;
        const data = result.data as TData | null | undefined;
        const refused = !data || Object.values(data).some((value) => value === null);
        if (refused || result.errors.length > 0) {
          setSubmission({
            status: "refused",
            messages: refusalMessages(result.errors),
            ...(result.requestId ? { requestId: result.requestId } : {}),
          });
          if (!refused && data) onDone(data);
          return;
        }
        setSubmission({ status: "done", requestId: result.requestId });
        onDone(data);
      } catch (error) {
        if (!live.current) return;
        const failed = failureOf(error);
        setSubmission({
          status: "refused",
          messages: failed.problems.map((problem) => problem.message),
          ...(failed.requestId ? { requestId: failed.requestId } : {}),
        });
      }
    },
    [client, document, options, onDone],
  );
  return { submission, submit };
}
