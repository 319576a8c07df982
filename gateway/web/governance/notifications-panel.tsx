import { useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { count, when, words } from "./format.ts";
import { ACKNOWLEDGE, NOTIFICATIONS } from "./queries.ts";
import type { Notification } from "./types.ts";
import { useGovernance, useOperation } from "./use-api.ts";
import { usePaged } from "./use-paged.ts";

const KIND_LABEL: Readonly<Record<string, string>> = {
  BREAK_GLASS: "Break glass",
  FLAGGED_SUBJECT: "Flagged subject",
};

type Shown = "unacknowledged" | "acknowledged" | "all";

/** Break-glass and flagged-subject notices to this agency, each acknowledged once reviewed. */
export function NotificationsPanel() {
  const { changed, visits } = useGovernance();
  const [shown, setShown] = useState<Shown>("unacknowledged");
  const [message, setMessage] = useState("");
  const acknowledge = useOperation<{ acknowledgeNotification: Notification }>(ACKNOWLEDGE);
  const variables = shown === "all" ? {} : { acknowledged: shown === "acknowledged" };
  const list = usePaged<
    Notification,
    { notifications: { notifications: Notification[]; nextCursor: string | null } }
  >(
    NOTIFICATIONS,
    variables,
    (data) => ({
      items: data.notifications.notifications,
      nextCursor: data.notifications.nextCursor,
    }),
    50,
    visits.notifications,
  );
  return (
    <section aria-labelledby="gov-notifications-heading">
      <h2 id="gov-notifications-heading">Notifications</h2>
      <div className="gov-toolbar">
        <div className="gov-field">
          <label htmlFor="gov-notifications-shown">Show</label>
          <select
            id="gov-notifications-shown"
            value={shown}
            onChange={(e) => setShown(e.target.value as Shown)}
          >
            <option value="unacknowledged">Not yet acknowledged</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="all">All</option>
          </select>
        </div>
        <button type="button" className="gov-button" onClick={list.reload}>
          Reload notifications
        </button>
      </div>
      <StatusMessage
        testId="notifications-status"
        text={
          list.loading
            ? "Loading notifications…"
            : message || `${count(list.items.length, "notification")} shown.`
        }
      />
      <ProblemAlert title="Could not load notifications" problems={list.problems} />
      <ProblemAlert
        title="Could not acknowledge"
        problems={acknowledge.outcome.status === "error" ? acknowledge.outcome.problems : undefined}
      />
      {list.items.length === 0 && !list.loading ? <p>No notifications.</p> : null}
      <ul className="gov-notifications" data-testid="notifications">
        {list.items.map((notice) => (
          <li key={notice.id} className="gov-card">
            <h3>
              {notice.kinds.map((kind) => KIND_LABEL[kind] ?? kind).join(" and ")}: {notice.userId},{" "}
              {when(notice.at)}
            </h3>
            <dl className="gov-details">
              <dt>User</dt>
              <dd>
                {notice.userId}
                {notice.userAgency ? ` (${words(notice.userAgency)})` : ""}
                {notice.roles.length > 0 ? `, ${notice.roles.map(words).join(", ")}` : ""}
              </dd>
              {notice.enquiryId ? (
                <>
                  <dt>Enquiry</dt>
                  <dd>{notice.enquiryId}</dd>
                </>
              ) : null}
              {notice.reason ? (
                <>
                  <dt>Reason given</dt>
                  <dd>{notice.reason}</dd>
                </>
              ) : null}
              <dt>Subjects</dt>
              <dd className="gov-mono">{notice.subjects.join(", ") || "None"}</dd>
              <dt>Fields</dt>
              <dd className="gov-mono gov-wrap">{notice.fields.join(", ") || "None"}</dd>
              <dt>Acknowledged</dt>
              <dd>
                {notice.acknowledgedBy
                  ? `By ${notice.acknowledgedBy}, ${when(notice.acknowledgedAt)}`
                  : "Not yet"}
              </dd>
            </dl>
            {notice.acknowledgedBy ? null : (
              <button
                type="button"
                className="gov-button"
                disabled={acknowledge.outcome.status === "running"}
                aria-label={`Acknowledge notification ${notice.seq}`}
                onClick={async () => {
                  const done = await acknowledge.run({ id: notice.id });
                  if (done) {
                    setMessage(`Acknowledged notification ${notice.seq}.`);
                    changed();
                  }
                }}
              >
                Acknowledge
              </button>
            )}
          </li>
        ))}
      </ul>
      {list.nextCursor ? (
        <button
          type="button"
          className="gov-button"
          disabled={list.loading}
          onClick={list.loadMore}
        >
          Load more notifications
        </button>
      ) : null}
    </section>
  );
}
