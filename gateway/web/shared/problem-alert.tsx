import "./feedback.css";
import type { ReactNode } from "react";
import type { ApiProblem } from "./api-error.ts";

/**
 * What the API refused or what failed, every message with its code (and a policy text's own
 * problems by line), announced when it appears. Nothing when there are no problems.
 */
export function ProblemAlert({
  title,
  problems,
  requestId,
  children,
}: {
  title: string;
  problems: readonly ApiProblem[] | undefined;
  /** The X-Request-Id of the answer: support asks for it. */
  requestId?: string;
  /** Said after the problems: what this means for the page. */
  children?: ReactNode;
}) {
  if (!problems || problems.length === 0) return null;
  return (
    <div className="mash-problems" role="alert" data-testid="api-error">
      <p className="mash-problems-title">{title}</p>
      <ul>
        {problems.map((problem, index) => (
          // Problems have no ids; their order is the API's and does not change once shown.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index}>
            {problem.message}
            {problem.code ? (
              <>
                {" "}
                <code>{problem.code}</code>
              </>
            ) : null}
            {problem.details ? (
              <ul>
                {problem.details.map((detail, at) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the API's order, never reordered
                  <li key={at}>
                    {detail.line ? `Line ${detail.line}` : "Whole file"}
                    {detail.rule ? ` (rule ${detail.rule})` : ""}: {detail.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      {requestId ? (
        <p>
          Request id: <code>{requestId}</code>
        </p>
      ) : null}
      {children}
    </div>
  );
}
