import { ProblemAlert } from "../shared/problem-alert.tsx";
import { PUBLISH_NARROWING, REVIEW_NARROWING } from "./queries.ts";
import type { PolicyVersion } from "./types.ts";
import { useGovernance, useOperation } from "./use-api.ts";
import { ActionForm, type Done } from "./version-actions.tsx";

/** Why a text cannot be published at once: what it gives beyond the policy in force. */
export function WideningNote({ id, widening }: { id: string; widening: readonly string[] }) {
  return (
    <div id={id} className="gov-widening" data-testid="widening">
      <p className="gov-awaiting">
        This gives more than the policy in force, so it needs a second officer's approval:
      </p>
      <ul>
        {widening.slice(0, 5).map((item) => (
          <li key={item} className="gov-mono">
            {item}
          </li>
        ))}
      </ul>
      {widening.length > 5 ? <p>and {widening.length - 5} more.</p> : null}
    </div>
  );
}

/**
 * One officer publishes a version at once because it only takes access away (after an
 * incident, say). Shown behind a disclosure: it is the exception, not the way changes go live.
 * `widening` (from the review card) disables it with the reason; the API refuses anyway.
 */
export function NarrowingAction({
  version,
  widening,
  onDone,
}: {
  version: PolicyVersion;
  widening: readonly string[] | undefined;
  onDone: Done;
}) {
  const { changed, officer } = useGovernance();
  const narrow = useOperation<{ publishNarrowing: PolicyVersion }>(PUBLISH_NARROWING);
  const blocked = widening !== undefined && widening.length > 0;
  const note = `gov-narrow-note-${version.id}`;
  return (
    <details className="gov-disclosure gov-actions">
      <summary>Publish version {version.number} at once as an emergency narrowing</summary>
      {blocked ? (
        <WideningNote id={note} widening={widening} />
      ) : (
        <p id={note} className="gov-hint">
          Only a change that takes access away may be published by one officer. It goes into force
          at once and stays flagged until another officer of {officer.agencyTitle} reviews it.
        </p>
      )}
      <ActionForm
        id={`gov-narrow-${version.id}`}
        label={`Emergency narrowing with version ${version.number}`}
        fieldLabel={`Why version ${version.number} cannot wait for a second officer`}
        required
        button={`Publish version ${version.number} now as an emergency narrowing`}
        busy={narrow.outcome.status === "running"}
        disabled={blocked}
        describedBy={note}
        onSubmit={async (reason) => {
          const done = await narrow.run({ versionId: version.id, reason });
          if (done) {
            onDone(
              `Emergency narrowing in force: version ${done.publishNarrowing.number}. Another officer of ${officer.agencyTitle} must review it.`,
            );
            changed();
          }
          return done !== undefined;
        }}
      />
      <ProblemAlert
        title="Could not publish the narrowing"
        problems={narrow.outcome.status === "error" ? narrow.outcome.problems : undefined}
      />
    </details>
  );
}

/** The emergency flag on a version, and the review another officer gives to clear it. */
export function EmergencyFlag({ version, onDone }: { version: PolicyVersion; onDone: Done }) {
  const { changed, officer } = useGovernance();
  const review = useOperation<{ reviewNarrowing: PolicyVersion }>(REVIEW_NARROWING);
  const { emergency } = version;
  if (!emergency) return null;
  const publishedBy = version.publishedBy ?? version.author;
  const own = publishedBy === officer.id;
  return (
    <div
      className={`gov-emergency${emergency.reviewedBy ? " gov-emergency-reviewed" : ""}`}
      data-testid="emergency-flag"
    >
      <p className="gov-awaiting">
        Emergency narrowing, published at once by {publishedBy}: {emergency.reason}
      </p>
      {emergency.reviewedBy ? (
        <p>
          Reviewed by {emergency.reviewedBy}
          {emergency.reviewComment ? `: ${emergency.reviewComment}` : ""}
        </p>
      ) : own ? (
        <p>Awaiting review by another officer of {officer.agencyTitle}.</p>
      ) : (
        <>
          <p>Awaiting your review (or another officer's): it is flagged until reviewed.</p>
          <ActionForm
            id={`gov-review-narrowing-${version.id}`}
            label={`Review emergency narrowing version ${version.number}`}
            fieldLabel={`Review comment for version ${version.number}`}
            required
            button={`Mark version ${version.number} reviewed`}
            busy={review.outcome.status === "running"}
            onSubmit={async (comment) => {
              const done = await review.run({ versionId: version.id, comment });
              if (done) {
                onDone(`Reviewed the emergency narrowing, version ${version.number}.`);
                changed();
              }
              return done !== undefined;
            }}
          />
          <ProblemAlert
            title="Could not record the review"
            problems={review.outcome.status === "error" ? review.outcome.problems : undefined}
          />
        </>
      )}
    </div>
  );
}
