import {
  type MashClient,
  unavailableAgencies,
  type WithheldField,
  withheldFields,
} from "@mash/client-kit";
import { problemsOf } from "../shared/api-error.ts";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { WorkspaceInboxDocument } from "./generated/operations.ts";
import { buildInbox, type InboxItem } from "./inbox-order.ts";
import { agencyName, personName } from "./names.ts";
import { LoadState, RagBadge, TimeLeft, Unavailable, WithheldList } from "./parts.tsx";
import { distinctNotes, repeatCountAt } from "./repeat-contacts.ts";
import { RepeatContacts } from "./repeat-contacts-view.tsx";
import type { Practitioner } from "./sign-in.ts";
import { timeLeftWords } from "./time-left.ts";
import { useOperation } from "./use-operation.ts";

function InboxTable({
  items,
  caption,
  now,
  notes,
}: {
  items: InboxItem[];
  caption: string;
  now: Date;
  notes: readonly WithheldField[];
}) {
  if (items.length === 0) return <p>None.</p>;
  return (
    <table className="ws-table">
      <caption className="ws-visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Enquiry</th>
          <th scope="col">RAG</th>
          <th scope="col">Time left</th>
          <th scope="col">Reason</th>
          <th scope="col">People</th>
          <th scope="col">Lead</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.enquiry.id} data-enquiry={item.enquiry.id}>
            <th scope="row">
              <a href={`#/enquiry/${encodeURIComponent(item.enquiry.id)}`}>{item.enquiry.id}</a>
            </th>
            <td>
              <RagBadge rag={item.enquiry.rag} />
            </td>
            <td>
              <TimeLeft words={timeLeftWords(item, now)} />
              {item.request ? <span className="ws-note"> (research for my agency)</span> : null}
              {item.enquiry.escalated ? <span className="ws-badge"> Escalated</span> : null}
            </td>
            <td>{item.enquiry.reason ?? "Withheld"}</td>
            <td>
              <ul className="ws-plain">
                {(item.enquiry.subjects ?? []).map((subject, index) => (
                  <li key={subject.id}>
                    {personName(subject.name)}:{" "}
                    <RepeatContacts
                      count={repeatCountAt(
                        subject.recentContacts,
                        `enquiries.${item.position}.subjects.${index}.recentContacts`,
                        notes,
                      )}
                    />
                  </li>
                ))}
              </ul>
            </td>
            <td>{item.enquiry.lead ? agencyName(item.enquiry.lead) : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What waits for my agency, most urgent first, and every other open enquiry it takes part in. */
export function InboxPage({ client, user }: { client: MashClient; user: Practitioner }) {
  const loaded = useOperation(client, WorkspaceInboxDocument, {});
  const now = new Date();
  return (
    <>
      <h1 tabIndex={-1} className="ws-page-title">
        Inbox for {agencyName(user.agency)}
      </h1>
      <LoadState loaded={loaded} what="the inbox">
        {(ready) => {
          const notes = withheldFields(ready.errors);
          // No list at all (withheld, or the hub not answering) is not an empty inbox: say so,
          // never "0 requests waiting".
          if (!ready.data?.enquiries)
            return (
              <>
                <Unavailable agencies={unavailableAgencies(ready.errors)} onRetry={loaded.reload} />
                <ProblemAlert
                  title="The inbox could not be listed"
                  problems={problemsOf(ready.errors)}
                />
                <WithheldList notes={distinctNotes(notes)} label="Withheld from this list" />
              </>
            );
          const inbox = buildInbox(ready.data.enquiries, user.agency);
          return (
            <>
              <Unavailable agencies={unavailableAgencies(ready.errors)} onRetry={loaded.reload} />
              <p role="status">
                {inbox.requests.length} research request
                {inbox.requests.length === 1 ? "" : "s"} waiting for {agencyName(user.agency)};{" "}
                {inbox.enquiries.length} other open enquir
                {inbox.enquiries.length === 1 ? "y" : "ies"}. Most urgent first: overdue, then RED,
                AMBER, GREEN, then soonest due.
              </p>
              <section aria-labelledby="ws-requests">
                <h2 id="ws-requests">Research requests waiting for my agency</h2>
                <InboxTable
                  items={inbox.requests}
                  caption="Research requests"
                  now={now}
                  notes={notes}
                />
              </section>
              <section aria-labelledby="ws-enquiries">
                <h2 id="ws-enquiries">Enquiries my agency takes part in</h2>
                <InboxTable items={inbox.enquiries} caption="Enquiries" now={now} notes={notes} />
              </section>
              <WithheldList notes={distinctNotes(notes)} label="Withheld from this list" />
            </>
          );
        }}
      </LoadState>
    </>
  );
}
