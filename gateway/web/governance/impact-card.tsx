import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { count } from "./format.ts";
import { ImpactView } from "./impact-view.tsx";
import { ProblemList } from "./policy-text.tsx";
import type { Impact } from "./types.ts";
import type { Outcome } from "./use-api.ts";

/** The edited text's impact on access, once asked for, with its problems linked to their lines. */
export function ImpactCard({
  outcome,
  onGoTo,
}: {
  outcome: Outcome<{ impact: Impact }>;
  onGoTo(line: number): void;
}) {
  const impactResult = outcome.status === "done" ? outcome.data.impact : undefined;
  return (
    <section className="gov-card" aria-labelledby="gov-impact-heading">
      <h3 id="gov-impact-heading">Impact</h3>
      <StatusMessage
        testId="impact-status"
        text={
          outcome.status === "running"
            ? "Working out the impact…"
            : impactResult
              ? `${count(impactResult.changes.length, "change")} of access.`
              : "Choose Show impact to compare the edited text with the policy in force."
        }
      />
      <ProblemAlert
        title="Could not work out the impact"
        problems={outcome.status === "error" ? outcome.problems : undefined}
      />
      {impactResult ? (
        <>
          <ProblemList id="gov-impact-problems" problems={impactResult.problems} onGoTo={onGoTo} />
          <ImpactView impact={impactResult} />
        </>
      ) : null}
    </section>
  );
}
