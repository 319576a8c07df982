/**
 * One error type for the apps' GraphQL calls, to /graphql and /governance/graphql alike: every
 * message the API gave, each with its extensions.code, so a screen shows exactly what was refused
 * and why. The client kit's MashRequestError (a refusal without data) reads the same way.
 */
import { MashRequestError } from "@mash/client-kit";
import { messageOf } from "./message-of.ts";

/** A refused policy text's own problem (extensions.problems of a governance error), by line. */
export interface ProblemDetail {
  readonly line: number | null;
  readonly rule: string | null;
  readonly message: string;
}

export interface ApiProblem {
  readonly message: string;
  readonly code?: string;
  readonly details?: readonly ProblemDetail[];
}

export class ApiError extends Error {
  readonly problems: readonly ApiProblem[];
  readonly status: number | undefined;
  /** The X-Request-Id of the answer, when there was one: quote it when reporting a problem. */
  readonly requestId: string | undefined;

  constructor(problems: readonly ApiProblem[], status?: number, requestId?: string) {
    super(problems.map(describeProblem).join("; ") || "The API failed");
    this.name = "ApiError";
    this.problems = problems;
    this.status = status;
    this.requestId = requestId;
  }
}

export function describeProblem(problem: ApiProblem): string {
  return problem.code ? `${problem.message} (${problem.code})` : problem.message;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function detailsOf(value: unknown): ProblemDetail[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((problem) => ({
    line: typeof problem.line === "number" ? problem.line : null,
    rule: typeof problem.rule === "string" ? problem.rule : null,
    message: typeof problem.message === "string" ? problem.message : "Unknown problem",
  }));
}

/** The problems of a GraphQL `errors` list (anything else reads as none). */
export function problemsOf(errors: unknown): ApiProblem[] {
  if (!Array.isArray(errors)) return [];
  return errors.filter(isRecord).map((error) => {
    const message = typeof error.message === "string" ? error.message : "Unknown error";
    const extensions = isRecord(error.extensions) ? error.extensions : {};
    const details = detailsOf(extensions.problems);
    return {
      message,
      ...(typeof extensions.code === "string" ? { code: extensions.code } : {}),
      ...(details.length > 0 ? { details } : {}),
    };
  });
}

/** The problems to show for any failure: an ApiError's or a kit refusal's own, else its words. */
export function problemsOfError(error: unknown): readonly ApiProblem[] {
  if (error instanceof ApiError) return error.problems;
  if (error instanceof MashRequestError) {
    const problems = problemsOf(error.errors);
    if (problems.length > 0) return problems;
    return [{ message: error.message, ...(error.code ? { code: error.code } : {}) }];
  }
  return [{ message: messageOf(error) }];
}

/** The request id a failure carries, if the gateway answered at all. */
export function requestIdOf(error: unknown): string | undefined {
  return error instanceof ApiError || error instanceof MashRequestError
    ? error.requestId
    : undefined;
}
