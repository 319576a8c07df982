import { type ApiProblem, describeProblem } from "./api.ts";

/** A refusal or failure from the API, every message with its code, announced when it appears. */
export function ProblemAlert({
  title,
  problems,
}: {
  title: string;
  problems: readonly ApiProblem[] | undefined;
}) {
  if (!problems || problems.length === 0) return null;
  return (
    <div className="gov-alert" role="alert" data-testid="api-error">
      <p className="gov-alert-title">{title}</p>
      <ul>
        {problems.map((problem, index) => (
          // Problems have no ids; their order is the API's and does not change once shown.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index}>
            {problem.message}
            {problem.code ? (
              <>
                {" "}
                <code className="gov-code">{problem.code}</code>
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
    </div>
  );
}

/** A polite live region: progress and results are read out without moving focus. */
export function StatusMessage({ text, testId }: { text: string; testId?: string }) {
  return (
    <p className="gov-status" role="status" aria-live="polite" data-testid={testId}>
      {text}
    </p>
  );
}

export { describeProblem };
