import { ProblemAlert } from "../shared/problem-alert.tsx";
import { DiffView } from "./diff-view.tsx";
import { StatusMessage } from "./feedback.tsx";
import { count } from "./format.ts";
import { ImpactView } from "./impact-view.tsx";
import { WideningNote } from "./narrowing-actions.tsx";
import { VERSION_REVIEW } from "./queries.ts";
import type { PolicyVersion, VersionReview } from "./types.ts";
import { latest, useQuery } from "./use-api.ts";

/** A version's diff and impact against the policy in force, loaded only once asked for. */
export function useVersionReview(version: PolicyVersion, open: boolean) {
  const review = useQuery<{ policyVersion: VersionReview | null }>(
    VERSION_REVIEW,
    { id: version.id },
    { skip: !open },
  );
  return { review, data: latest(review)?.policyVersion ?? undefined };
}

/**
 * What the reviewer reads before deciding: whether the version gives anyone more, the text
 * diff against the policy in force, and the impact (who gains or loses which field, how many
 * people have such records, which of the agency's test cases change).
 */
export function VersionReviewView({
  version,
  review,
  data,
}: {
  version: PolicyVersion;
  review: ReturnType<typeof useVersionReview>["review"];
  data: VersionReview | undefined;
}) {
  const headingId = `gov-review-${version.id}`;
  return (
    <section className="gov-review" aria-labelledby={headingId} data-testid="version-review">
      <h4 id={headingId}>Changes against the policy in force</h4>
      <StatusMessage
        text={
          review.status === "loading" && !data
            ? `Comparing version ${version.number} with the policy in force…`
            : data
              ? `${count(data.impact.changes.length, "change")} of access; ${
                  data.widening.length > 0 ? "gives more than" : "gives nothing beyond"
                } the policy in force.`
              : ""
        }
      />
      <ProblemAlert
        title="Could not compare with the policy in force"
        problems={review.status === "error" ? review.problems : undefined}
      />
      {data ? (
        <>
          {data.widening.length > 0 ? (
            <WideningNote id={`gov-widening-${version.id}`} widening={data.widening} />
          ) : data.impact.problems.length === 0 ? (
            <p className="gov-narrowing-only" data-testid="narrowing-only">
              Gives no role anything beyond the policy in force
              {data.impact.changes.length > 0 ? ": it only takes access away." : "."}
            </p>
          ) : null}
          <DiffView
            diff={data.diffFromInForce}
            label={`Text of version ${version.number} against the policy in force`}
          />
          {data.impact.problems.length > 0 ? (
            <ProblemAlert
              title={`Version ${version.number} does not load as the policy now`}
              problems={data.impact.problems.map((p) => ({
                message: `${p.line ? `Line ${p.line}` : "Whole file"}: ${p.message}`,
              }))}
            />
          ) : (
            <ImpactView impact={data.impact} />
          )}
        </>
      ) : null}
    </section>
  );
}
