/**
 * The console's one way to the governance API: a POST to /governance/graphql with the officer's
 * bearer token. GraphQL errors become a GovernanceError carrying every message and its
 * extensions.code, so screens can show exactly what the API refused and why.
 */

import type { PolicyProblem } from "./types.ts";

export const GOVERNANCE_ENDPOINT = "/governance/graphql";

export interface ApiProblem {
  readonly message: string;
  readonly code?: string;
  /** A refused policy text's own problems (extensions.problems), each with its line. */
  readonly details?: readonly PolicyProblem[];
}

export class GovernanceError extends Error {
  readonly problems: readonly ApiProblem[];
  readonly status: number | undefined;

  constructor(problems: readonly ApiProblem[], status?: number) {
    super(problems.map(describeProblem).join("; ") || "The governance API failed");
    this.name = "GovernanceError";
    this.problems = problems;
    this.status = status;
  }
}

export function describeProblem(problem: ApiProblem): string {
  return problem.code ? `${problem.message} (${problem.code})` : problem.message;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function policyProblemsOf(value: unknown): PolicyProblem[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((problem) => ({
    line: typeof problem.line === "number" ? problem.line : null,
    rule: typeof problem.rule === "string" ? problem.rule : null,
    message: typeof problem.message === "string" ? problem.message : "Unknown problem",
  }));
}

/** Every error in a GraphQL response body, or none when it has no `errors` list. */
export function problemsOf(body: unknown): ApiProblem[] {
  const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors : [];
  return errors.filter(isRecord).map((error) => {
    const message = typeof error.message === "string" ? error.message : "Unknown error";
    const extensions = isRecord(error.extensions) ? error.extensions : {};
    const details = policyProblemsOf(extensions.problems);
    return {
      message,
      ...(typeof extensions.code === "string" ? { code: extensions.code } : {}),
      ...(details.length > 0 ? { details } : {}),
    };
  });
}

/** The `data` of a response, or a GovernanceError naming what went wrong. */
export function readResponse<T>(status: number, body: unknown): T {
  const problems = problemsOf(body);
  if (problems.length > 0) throw new GovernanceError(problems, status);
  if (isRecord(body) && isRecord(body.data)) return body.data as T;
  const hint =
    status === 404
      ? "The governance API is not served by this gateway (HTTP 404 from /governance/graphql)"
      : `The governance API answered HTTP ${status} without data`;
  throw new GovernanceError([{ message: hint, code: `HTTP_${status}` }], status);
}

export async function governanceRequest<T>(
  authorization: string,
  query: string,
  variables?: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(GOVERNANCE_ENDPOINT, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json;q=0.9",
        authorization,
      },
      body: JSON.stringify({ query, variables }),
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new GovernanceError([{ message: `Could not reach the gateway: ${message}` }]);
  }
  const body: unknown = await response.json().catch(() => undefined);
  return readResponse<T>(response.status, body);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The problems to show for any failure: a GovernanceError's own, or the thrown message. */
export function problemsOfError(error: unknown): readonly ApiProblem[] {
  return error instanceof GovernanceError ? error.problems : [{ message: messageOf(error) }];
}
