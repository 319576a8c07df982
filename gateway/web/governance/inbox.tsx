import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { count } from "./format.ts";
import { INBOX } from "./queries.ts";
import type { Inbox, PolicyVersion } from "./types.ts";
import { latest, useGovernance, useQuery } from "./use-api.ts";

/** The one-line summary read out on sign-in: what needs this officer, in counts. */
export function inboxSummary(inbox: Inbox): string {
  const parts = [
    `${count(inbox.proposalsToReview.length, "proposal")} awaiting your review`,
    `${count(inbox.narrowingsToReview.length, "emergency narrowing")} awaiting your review`,
  ];
  if (inbox.unacknowledgedNotifications !== null)
    parts.push(`${count(inbox.unacknowledgedNotifications, "notification")} not yet acknowledged`);
  return `${parts.join("; ")}.`;
}

const restores = (version: PolicyVersion) => (version.restoredFrom ? ", a rollback" : "");

function VersionItem({ version, what }: { version: PolicyVersion; what: string }) {
  const { showVersion } = useGovernance();
  return (
    <li>
      <button
        type="button"
        className="gov-link"
        onClick={() => showVersion(version.number)}
        aria-label={`Go to version ${version.number}`}
      >
        Version {version.number}
      </button>{" "}
      {what}
    </li>
  );
}

/**
 * What awaits the signed-in officer, shown above the tabs from the moment they sign in:
 * proposals another officer made, emergency narrowings another officer published, and owner
 * notifications nobody acknowledged. Each item goes to its version (or the notifications).
 */
export function InboxPanel() {
  const { showTab, officer, visits } = useGovernance();
  // Another officer's proposal can arrive at any time: look again whenever a tab is chosen.
  const looks = Object.values(visits).reduce((sum, n) => sum + n, 0);
  const inbox = useQuery<{ inbox: Inbox }>(INBOX, undefined, { refreshOn: looks });
  const data = latest(inbox)?.inbox;
  const notifications = data?.unacknowledgedNotifications ?? 0;
  return (
    <section className="gov-card gov-inbox" aria-labelledby="gov-inbox-heading" data-testid="inbox">
      <h2 id="gov-inbox-heading">Inbox</h2>
      <StatusMessage
        testId="inbox-summary"
        text={data ? inboxSummary(data) : inbox.status === "loading" ? "Loading your inbox…" : ""}
      />
      <ProblemAlert
        title="Could not load your inbox"
        problems={inbox.status === "error" ? inbox.problems : undefined}
      />
      {data && data.proposalsToReview.length > 0 ? (
        <>
          <h3 className="gov-inbox-count">Proposals awaiting your review</h3>
          <ul data-testid="inbox-proposals">
            {data.proposalsToReview.map((version) => (
              <VersionItem
                key={version.id}
                version={version}
                what={`proposed by ${version.author}${restores(version)}: ${version.reason ?? ""}`}
              />
            ))}
          </ul>
        </>
      ) : null}
      {data && data.narrowingsToReview.length > 0 ? (
        <>
          <h3 className="gov-inbox-count">Emergency narrowings awaiting your review</h3>
          <ul data-testid="inbox-narrowings">
            {data.narrowingsToReview.map((version) => (
              <VersionItem
                key={version.id}
                version={version}
                what={`published at once by ${version.publishedBy ?? version.author}: ${version.emergency?.reason ?? ""}`}
              />
            ))}
          </ul>
        </>
      ) : null}
      {data && data.awaitingOthers.length > 0 ? (
        <>
          <h3 className="gov-inbox-count">
            Yours, waiting for another officer of {officer.agencyTitle}
          </h3>
          <ul data-testid="inbox-awaiting-others">
            {data.awaitingOthers.map((version) => (
              <VersionItem
                key={version.id}
                version={version}
                what={
                  version.emergency
                    ? "an emergency narrowing, awaiting review"
                    : `${version.restoredFrom ? "a rollback, " : ""}awaiting approval`
                }
              />
            ))}
          </ul>
        </>
      ) : null}
      <div className="gov-toolbar">
        {notifications > 0 ? (
          <button type="button" className="gov-button" onClick={() => showTab("notifications")}>
            {`Show ${count(notifications, "notification")} to acknowledge`}
          </button>
        ) : null}
        <button type="button" className="gov-button" onClick={inbox.reload}>
          Reload inbox
        </button>
      </div>
    </section>
  );
}
