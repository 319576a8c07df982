import { useEffect, useState } from "react";
import { type ApiProblem, problemsOfError } from "../shared/api-error.ts";
import { governanceRequest } from "./api.ts";
import { VALIDATE_POLICY } from "./queries.ts";
import type { PolicyProblem } from "./types.ts";
import { useGovernance } from "./use-api.ts";

/** Long enough that typing does not send a request per key; short enough to feel live. */
const VALIDATE_DELAY_MS = 400;

export type Check =
  | { readonly status: "idle" | "checking" }
  | { readonly status: "checked"; readonly problems: readonly PolicyProblem[] }
  | { readonly status: "error"; readonly problems: readonly ApiProblem[] };

/** The check's state in words, for the status line. */
export function checkText(check: Check): string {
  switch (check.status) {
    case "idle":
      return "";
    case "checking":
      return "Checking the text…";
    case "error":
      return "The text could not be checked.";
    case "checked":
      return check.problems.length === 0
        ? "No problems found."
        : `${check.problems.length} ${check.problems.length === 1 ? "problem" : "problems"} found.`;
  }
}

/** Validates `text` a moment after the officer stops typing; an older answer never wins. */
export function useValidation(text: string | undefined): Check {
  const { authorization } = useGovernance();
  const [check, setCheck] = useState<Check>({ status: "idle" });
  useEffect(() => {
    if (text === undefined) return;
    setCheck({ status: "checking" });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      governanceRequest<{ validatePolicy: PolicyProblem[] }>(
        authorization,
        VALIDATE_POLICY,
        { text },
        controller.signal,
      ).then(
        ({ validatePolicy }) => {
          if (!controller.signal.aborted) setCheck({ status: "checked", problems: validatePolicy });
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setCheck({ status: "error", problems: problemsOfError(error) });
        },
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, authorization]);
  return check;
}
