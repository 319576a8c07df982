import { useState } from "react";
import { when } from "./format.ts";
import { EmergencyFlag, NarrowingAction } from "./narrowing-actions.tsx";
import { ShadowReportView } from "./shadow-report.tsx";
import type { PolicyStatus, PolicyVersion } from "./types.ts";
import { useGovernance } from "./use-api.ts";
import { DiscardAction, PublishAction, ReviewActions, RollbackAction } from "./version-actions.tsx";
import { useVersionReview, VersionReviewView } from "./version-review.tsx";

const STATUS_LABEL: Readonly<Record<PolicyStatus, string>> = {
  DRAFT: "Draft",
  PROPOSED: "Proposed",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  PUBLISHED: "Published (in force)",
  SUPERSEDED: "Superseded",
  DISCARDED: "Discarded",
};

function Detail({ term, value }: { term: string; value: string | null | undefined }) {
  if (!value) return null;
  return (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  );
}

/** What a pending version waits for, in words: the second officer is the point. */
function Awaiting({ version }: { version: PolicyVersion }) {
  const { officer } = useGovernance();
  const what = version.restoredFrom ? "This rollback" : "This version";
  if (version.status === "PROPOSED")
    return (
      <p className="gov-awaiting" data-testid="awaiting-second-officer">
        {what} is awaiting a second officer: an officer of {officer.agencyTitle} other than{" "}
        {version.author === officer.id ? "you" : version.author} must approve it before it can be
        published.
      </p>
    );
  if (version.status === "APPROVED")
    return (
      <p className="gov-awaiting" data-testid="awaiting-publication">
        Approved by {version.approvedBy}; awaiting publication.
      </p>
    );
  return null;
}

/** One stored version: who did what when, what it changes, and the actions its status allows. */
export function VersionCard({
  version,
  restoredLabel,
  onDone,
}: {
  version: PolicyVersion;
  /** How to name the version a rollback restored ("version 2"), when it is listed. */
  restoredLabel: string | undefined;
  onDone(message: string): void;
}) {
  const { openInEditor, officer } = useGovernance();
  const [shadow, setShadow] = useState(false);
  const { status } = version;
  // A reviewer sees the changes at once; for other versions they are a click away.
  const pending = status === "PROPOSED" || status === "APPROVED";
  const [compare, setCompare] = useState(pending);
  const { review, data } = useVersionReview(version, compare || pending);
  const headingId = `gov-version-${version.id}`;
  const ownDraft = status === "DRAFT" && version.author === officer.id;
  const mayNarrow = ownDraft || status === "PROPOSED" || status === "SUPERSEDED";
  return (
    <article
      id={`gov-version-card-${version.number}`}
      className={`gov-card gov-version gov-version-${status.toLowerCase()}`}
      aria-labelledby={headingId}
      data-testid={`version-${version.number}`}
      data-status={status}
      data-emergency={
        version.emergency ? (version.emergency.reviewedBy ? "reviewed" : "flagged") : undefined
      }
      tabIndex={-1}
    >
      <h3 id={headingId}>
        Version {version.number}: <span className="gov-badge">{STATUS_LABEL[status]}</span>
      </h3>
      <Awaiting version={version} />
      <EmergencyFlag version={version} onDone={onDone} />
      <dl className="gov-details">
        <Detail term="Author" value={version.author} />
        <Detail term="Created" value={when(version.createdAt)} />
        <Detail term="Note" value={version.note} />
        <Detail term="Reason" value={version.reason} />
        <Detail term="Proposed" value={when(version.proposedAt)} />
        <Detail term="Approved by" value={version.approvedBy} />
        <Detail term="Approved" value={when(version.approvedAt)} />
        <Detail term="Review comment" value={version.reviewComment} />
        <Detail term="Rejected by" value={version.rejectedBy} />
        <Detail term="Rejected" value={when(version.rejectedAt)} />
        <Detail term="Published by" value={version.publishedBy} />
        <Detail term="Published" value={when(version.publishedAt)} />
        <Detail term="Restores" value={restoredLabel ?? version.restoredFrom} />
        <Detail term="Discarded" value={when(version.discardedAt)} />
        <Detail
          term="Problems"
          value={version.problems.length > 0 ? `${version.problems.length}` : null}
        />
      </dl>
      <details>
        <summary>Policy text of version {version.number}</summary>
        <pre className="gov-mono gov-pre">{version.text}</pre>
      </details>
      <div className="gov-toolbar">
        <button
          type="button"
          className="gov-button"
          onClick={() => openInEditor(version.text, `version ${version.number}`)}
        >
          {`Open version ${version.number} in the editor`}
        </button>
        {pending || status === "PUBLISHED" ? null : (
          <button
            type="button"
            className="gov-button"
            aria-expanded={compare}
            onClick={() => setCompare((open) => !open)}
          >
            {compare
              ? "Hide the changes"
              : `Compare version ${version.number} with the policy in force`}
          </button>
        )}
        {status === "PROPOSED" ? (
          <button
            type="button"
            className="gov-button"
            aria-expanded={shadow}
            onClick={() => setShadow((open) => !open)}
          >
            {shadow ? "Hide shadow report" : `Shadow report for version ${version.number}`}
          </button>
        ) : null}
      </div>
      {compare || pending ? (
        <VersionReviewView version={version} review={review} data={data} />
      ) : null}
      {status === "PROPOSED" && shadow ? <ShadowReportView versionId={version.id} /> : null}
      {status === "PROPOSED" ? <ReviewActions version={version} onDone={onDone} /> : null}
      {status === "APPROVED" ? <PublishAction version={version} onDone={onDone} /> : null}
      {/* Rolling back to the version already in force would change nothing: only earlier ones. */}
      {status === "PUBLISHED" ? (
        <p className="gov-explain">In force now. To undo it, roll back to an earlier version.</p>
      ) : null}
      {status === "SUPERSEDED" ? <RollbackAction version={version} onDone={onDone} /> : null}
      {ownDraft ? <DiscardAction version={version} onDone={onDone} /> : null}
      {mayNarrow ? (
        <NarrowingAction version={version} widening={data?.widening} onDone={onDone} />
      ) : null}
    </article>
  );
}
