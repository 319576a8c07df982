import { useState } from "react";
import { when } from "./format.ts";
import { ShadowReportView } from "./shadow-report.tsx";
import type { PolicyStatus, PolicyVersion } from "./types.ts";
import { useGovernance } from "./use-api.ts";
import { PublishAction, ReviewActions, RollbackAction } from "./version-actions.tsx";

const STATUS_LABEL: Readonly<Record<PolicyStatus, string>> = {
  DRAFT: "Draft",
  PROPOSED: "Proposed",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  PUBLISHED: "Published (in force)",
  SUPERSEDED: "Superseded",
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

/** One stored version: who did what when, and the actions its status allows. */
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
  const { openInEditor } = useGovernance();
  const [shadow, setShadow] = useState(false);
  const headingId = `gov-version-${version.id}`;
  const { status } = version;
  return (
    <article
      className={`gov-card gov-version gov-version-${status.toLowerCase()}`}
      aria-labelledby={headingId}
      data-testid={`version-${version.number}`}
      data-status={status}
    >
      <h3 id={headingId}>
        Version {version.number}: <span className="gov-badge">{STATUS_LABEL[status]}</span>
      </h3>
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
      {status === "PROPOSED" && shadow ? <ShadowReportView versionId={version.id} /> : null}
      {status === "PROPOSED" ? <ReviewActions version={version} onDone={onDone} /> : null}
      {status === "APPROVED" ? <PublishAction version={version} onDone={onDone} /> : null}
      {/* Rolling back to the version already in force would change nothing: only earlier ones. */}
      {status === "PUBLISHED" ? (
        <p className="gov-explain">In force now. To undo it, roll back to an earlier version.</p>
      ) : null}
      {status === "SUPERSEDED" ? <RollbackAction version={version} onDone={onDone} /> : null}
    </article>
  );
}
