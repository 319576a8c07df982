import {
  type MashClient,
  unavailableAgencies,
  type WithheldField,
  withheldFields,
} from "@mash/client-kit";
import { EnquiryActions } from "./enquiry-actions.tsx";
import { People } from "./enquiry-people.tsx";
import { Research } from "./enquiry-research.tsx";
import type { Enquiry } from "./enquiry-type.ts";
import { WorkspaceEnquiryDocument } from "./generated/operations.ts";
import { agencyName, enumWords, when } from "./names.ts";
import { LoadState, RagBadge, TimeLeft, Unavailable, WithheldList } from "./parts.tsx";
import { distinctNotes, repeatCountAt } from "./repeat-contacts.ts";
import { RepeatContacts } from "./repeat-contacts-view.tsx";
import { SharingDecisionHistory } from "./sharing-history-view.tsx";
import type { Practitioner } from "./sign-in.ts";
import { timeLeftWords } from "./time-left.ts";
import { useOperation } from "./use-operation.ts";

export type { Enquiry } from "./enquiry-type.ts";

function History({ enquiry, notes }: { enquiry: Enquiry; notes: readonly WithheldField[] }) {
  return (
    <>
      <section aria-labelledby="ws-contacts">
        <h2 id="ws-contacts">Contacts</h2>
        <ul>
          {(enquiry.contacts ?? []).map((contact, index) => (
            <li key={contact.id}>
              {contact.id}, received {when(contact.receivedAt)}
              {contact.referrer
                ? ` from ${contact.referrer.name}${contact.referrer.agency ? ` (${contact.referrer.agency})` : ""}`
                : ""}
              : {contact.concern ?? "concern withheld"}
              {contact.repeats ? (
                contact.repeats.map((r) => (
                  <span key={r.subject.id}>
                    {" "}
                    — {r.subject.id}:{" "}
                    <RepeatContacts count={repeatCountAt(r.contactsInLast12Months, "", [])} />
                  </span>
                ))
              ) : (
                <>
                  {" "}
                  —{" "}
                  <RepeatContacts
                    count={repeatCountAt(null, `enquiry.contacts.${index}.repeats`, notes)}
                  />
                </>
              )}
            </li>
          ))}
          {(enquiry.contacts ?? []).length === 0 ? <li>Opened without a contact</li> : null}
        </ul>
      </section>
      <section aria-labelledby="ws-rag-history">
        <h2 id="ws-rag-history">RAG history</h2>
        <ol>
          {(enquiry.ragHistory ?? []).map((change) => (
            <li key={`${change.changedAt}:${change.rag}`}>
              <RagBadge rag={change.rag} />
              {change.previous ? ` (was ${change.previous})` : " (at opening)"} — {change.reason};{" "}
              {change.changedBy}, {when(change.changedAt)}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="ws-decision">
        <h2 id="ws-decision">Decision and disagreements</h2>
        <p>
          {enquiry.outcome
            ? `Decided ${enumWords(enquiry.outcome)} by ${enquiry.decidedBy ?? "?"} on ${when(enquiry.closedAt)}: ${enquiry.closeReason ?? ""}`
            : "Not decided yet."}
        </p>
        {enquiry.escalated ? <p className="ws-badge">Escalated</p> : null}
        <ul>
          {(enquiry.disagreements ?? []).map((d) => (
            <li key={`${d.agency}:${d.recordedAt}`}>
              {agencyName(d.agency)} disagrees: {d.reason} ({d.recordedBy}, {when(d.recordedAt)})
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** One enquiry, read under its own purpose, with the forms my role may use. */
export function EnquiryPage({
  client,
  user,
  enquiryId,
  announce,
}: {
  client: MashClient;
  user: Practitioner;
  enquiryId: string;
  announce: (message: string) => void;
}) {
  const loaded = useOperation(
    client,
    WorkspaceEnquiryDocument,
    { id: enquiryId },
    { enquiry: enquiryId },
  );
  const now = new Date();
  return (
    <>
      <p>
        <a href="#/">Back to the inbox</a>
      </p>
      <h1 tabIndex={-1} className="ws-page-title">
        Enquiry {enquiryId}
      </h1>
      <LoadState loaded={loaded} what={`enquiry ${enquiryId}`}>
        {(ready) => {
          const enquiry = ready.data?.enquiry;
          const notes = withheldFields(ready.errors);
          if (!enquiry) return <p>No enquiry {enquiryId} is visible to you.</p>;
          if (!enquiry.takesPart) {
            return (
              <p>
                {agencyName(user.agency)} does not take part in {enquiryId}.
              </p>
            );
          }
          return (
            <>
              <Unavailable agencies={unavailableAgencies(ready.errors)} onRetry={loaded.reload} />
              <dl className="ws-summary">
                <dt>Status</dt>
                <dd>{enumWords(enquiry.status)}</dd>
                <dt>RAG</dt>
                <dd>
                  <RagBadge rag={enquiry.rag} />{" "}
                  <TimeLeft
                    words={timeLeftWords({ ...enquiry, doneAt: enquiry.closedAt }, now, "decided")}
                  />
                </dd>
                <dt>Reason</dt>
                <dd>{enquiry.reason}</dd>
                <dt>Lead</dt>
                <dd>{enquiry.lead ? agencyName(enquiry.lead) : ""}</dd>
                <dt>Opened</dt>
                <dd>
                  {when(enquiry.openedAt)}
                  {enquiry.openedBy ? ` by ${enquiry.openedBy}` : ""}
                </dd>
              </dl>
              <People enquiry={enquiry} notes={notes} />
              <Research enquiry={enquiry} now={now} />
              <SharingDecisionHistory history={enquiry.sharingDecisionHistory} />
              <History enquiry={enquiry} notes={notes} />
              <WithheldList
                notes={distinctNotes(notes)}
                label="What the agreement withholds here"
              />
              <EnquiryActions
                context={{
                  client,
                  user,
                  enquiryId,
                  open: enquiry.status === "OPEN",
                  lead: enquiry.lead,
                  asked: (enquiry.research ?? []).filter((r) => !r.releasedAt).map((r) => r.agency),
                  recorded: (what) => {
                    announce(`${what} for ${enquiryId}.`);
                    loaded.reload();
                  },
                }}
              />
            </>
          );
        }}
      </LoadState>
    </>
  );
}
