import { useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { ActionForm, type Done } from "./action-form.tsx";
import { APPROVE, DISCARD_DRAFT, PUBLISH, REJECT, ROLLBACK } from "./queries.ts";
import type { PolicyVersion } from "./types.ts";
import { useGovernance, useOperation } from "./use-api.ts";

export { ActionForm, type Done } from "./action-form.tsx";

/** Approve or reject a proposal: never one's own, which the API refuses as well. */
export function ReviewActions({ version, onDone }: { version: PolicyVersion; onDone: Done }) {
  const { officer, changed } = useGovernance();
  const approve = useOperation<{ approve: PolicyVersion }>(APPROVE);
  const reject = useOperation<{ reject: PolicyVersion }>(REJECT);
  const own = version.author === officer.id;
  const explanation = `gov-own-${version.id}`;
  const busy = approve.outcome.status === "running" || reject.outcome.status === "running";
  return (
    <div className="gov-actions">
      {own ? (
        <p id={explanation} className="gov-explain" data-testid="own-proposal-explanation">
          You proposed this version, so you cannot approve or reject it: another governance officer
          of {officer.agencyTitle} must review it.
        </p>
      ) : null}
      <ActionForm
        id={`gov-approve-${version.id}`}
        label={`Approve version ${version.number}`}
        fieldLabel={`Approval comment for version ${version.number} (optional)`}
        required={false}
        button={`Approve version ${version.number}`}
        busy={busy}
        disabled={own}
        describedBy={own ? explanation : undefined}
        onSubmit={async (comment) => {
          const done = await approve.run({ versionId: version.id, comment: comment || null });
          if (done) {
            onDone(`Approved version ${version.number}. It can now be published.`);
            changed();
          }
          return done !== undefined;
        }}
      />
      <ActionForm
        id={`gov-reject-${version.id}`}
        label={`Reject version ${version.number}`}
        fieldLabel={`Reason for rejecting version ${version.number}`}
        required
        button={`Reject version ${version.number}`}
        busy={busy}
        disabled={own}
        describedBy={own ? explanation : undefined}
        onSubmit={async (reason) => {
          const done = await reject.run({ versionId: version.id, reason });
          if (done) {
            onDone(`Rejected version ${version.number}.`);
            changed();
          }
          return done !== undefined;
        }}
      />
      <ProblemAlert
        title="Could not approve"
        problems={approve.outcome.status === "error" ? approve.outcome.problems : undefined}
      />
      <ProblemAlert
        title="Could not reject"
        problems={reject.outcome.status === "error" ? reject.outcome.problems : undefined}
      />
    </div>
  );
}

export function PublishAction({ version, onDone }: { version: PolicyVersion; onDone: Done }) {
  const { changed } = useGovernance();
  const publish = useOperation<{ publish: PolicyVersion }>(PUBLISH);
  return (
    <div className="gov-actions">
      <button
        type="button"
        className="gov-button gov-primary"
        disabled={publish.outcome.status === "running"}
        onClick={async () => {
          const done = await publish.run({ versionId: version.id });
          if (done) {
            onDone(`Published version ${version.number}: it is now in force on every gateway.`);
            changed();
          }
        }}
      >
        {`Publish version ${version.number}`}
      </button>
      <ProblemAlert
        title="Could not publish"
        problems={publish.outcome.status === "error" ? publish.outcome.problems : undefined}
      />
    </div>
  );
}

/**
 * A rollback proposes the earlier text again: putting it back may give a role more than the
 * policy in force, so a second officer approves it like any other change.
 */
export function RollbackAction({ version, onDone }: { version: PolicyVersion; onDone: Done }) {
  const { changed, officer } = useGovernance();
  const rollback = useOperation<{ rollback: PolicyVersion }>(ROLLBACK);
  const hint = `gov-rollback-hint-${version.id}`;
  return (
    <div className="gov-actions">
      <p id={hint} className="gov-hint">
        A rollback is a proposal: another officer of {officer.agencyTitle} must approve it, then it
        is published. To take access away at once, publish it as an emergency narrowing below.
      </p>
      <ActionForm
        describedBy={hint}
        id={`gov-rollback-${version.id}`}
        label={`Roll back to version ${version.number}`}
        fieldLabel={`Reason for rolling back to version ${version.number}`}
        required
        button={`Roll back to version ${version.number}`}
        busy={rollback.outcome.status === "running"}
        onSubmit={async (reason) => {
          const done = await rollback.run({ toVersionId: version.id, reason });
          if (done) {
            onDone(
              `Rollback proposed: version ${done.rollback.number} restores version ${version.number} once a second officer approves it and it is published.`,
            );
            changed();
          }
          return done !== undefined;
        }}
      />
      <ProblemAlert
        title="Could not roll back"
        problems={rollback.outcome.status === "error" ? rollback.outcome.problems : undefined}
      />
    </div>
  );
}

/** The author throws a draft away: asked twice, since it leaves the list. */
export function DiscardAction({ version, onDone }: { version: PolicyVersion; onDone: Done }) {
  const { changed } = useGovernance();
  const discard = useOperation<{ discardDraft: PolicyVersion }>(DISCARD_DRAFT);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="gov-actions">
      {confirming ? (
        <fieldset className="gov-toolbar gov-fieldset">
          <legend className="gov-visually-hidden">Discard version {version.number}?</legend>
          <span>Discard draft version {version.number}? It leaves the list.</span>
          <button
            type="button"
            className="gov-button"
            disabled={discard.outcome.status === "running"}
            onClick={async () => {
              const done = await discard.run({ versionId: version.id });
              if (done) {
                onDone(`Discarded draft version ${version.number}.`);
                changed();
              }
            }}
          >
            {`Yes, discard version ${version.number}`}
          </button>
          <button type="button" className="gov-button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </fieldset>
      ) : (
        <button type="button" className="gov-button" onClick={() => setConfirming(true)}>
          {`Discard draft version ${version.number}`}
        </button>
      )}
      <ProblemAlert
        title="Could not discard"
        problems={discard.outcome.status === "error" ? discard.outcome.problems : undefined}
      />
    </div>
  );
}
