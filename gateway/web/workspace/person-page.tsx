import { type MashClient, unavailableAgencies, withheldFields } from "@mash/client-kit";
import { useEffect, useRef, useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { AgencyCard } from "./agency-card.tsx";
import { BreakGlass } from "./break-glass.tsx";
import { chronologyOf, type Person } from "./chronology.ts";
import { ChronologyView } from "./chronology-view.tsx";
import { WorkspacePersonDocument } from "./generated/operations.ts";
import { personName, when } from "./names.ts";
import { LoadState, Unavailable, WithheldList } from "./parts.tsx";
import { repeatCountAt } from "./repeat-contacts.ts";
import { RepeatContacts } from "./repeat-contacts-view.tsx";
import { failureOf, type Loaded, useOperation } from "./use-operation.ts";
import { notesUnder } from "./withheld.ts";

type PersonAnswer = Extract<Loaded<{ subject: Person | null }>, { status: "ready" }>;

/** The agency parts of a person, each with the agency that owns it. */
const PARTS = [
  ["police", "police"],
  ["childrens-services", "socialCare"],
  ["health", "health"],
  ["education", "education"],
  ["probation", "probation"],
  ["adult-social-care", "adultSocialCare"],
] as const;

const IDENTITY = ["name", "dateOfBirth", "nhsNumber", "address", "sealed", "recentContacts"];

function PersonView({
  answer,
  enquiryId,
  reload,
}: {
  answer: PersonAnswer;
  enquiryId: string;
  reload: () => void;
}) {
  const person = answer.data?.subject;
  if (!person) return <p>This person is not visible to you in {enquiryId}.</p>;
  const notes = withheldFields(answer.errors);
  const missing = unavailableAgencies(answer.errors);
  const identityNotes = IDENTITY.flatMap((field) => notesUnder(notes, `subject.${field}`));
  return (
    <>
      <Unavailable
        agencies={missing.filter((m) => !m.path?.startsWith("subject."))}
        onRetry={reload}
      />
      <section aria-labelledby="ws-identity">
        <h2 id="ws-identity">Identity</h2>
        <dl className="ws-summary">
          <dt>Name</dt>
          <dd>{personName(person.name)}</dd>
          <dt>Date of birth</dt>
          <dd>{when(person.dateOfBirth) || "withheld or not recorded"}</dd>
          <dt>NHS number</dt>
          <dd>{person.nhsNumber ?? "withheld or not recorded"}</dd>
          <dt>Address</dt>
          <dd>
            {person.address
              ? `${person.address.line1}, ${person.address.postcode}`
              : "withheld or not recorded"}
          </dd>
          <dt>Contacts in the last 12 months</dt>
          <dd>
            <RepeatContacts
              count={repeatCountAt(person.recentContacts, "subject.recentContacts", notes)}
            />
          </dd>
        </dl>
        {person.sealed ? <p className="ws-badge">Sealed record</p> : null}
        <WithheldList notes={identityNotes} label="Identity details withheld" />
        <h3>Household</h3>
        <ul>
          {(person.household ?? []).map((member) => (
            <li key={member.id}>
              <a
                href={`#/enquiry/${encodeURIComponent(enquiryId)}/person/${encodeURIComponent(member.id)}`}
              >
                {personName(member.name)}
              </a>
              {member.dateOfBirth ? `, born ${when(member.dateOfBirth)}` : ""}
            </li>
          ))}
          {(person.household ?? []).length === 0 ? <li>No one else recorded</li> : null}
        </ul>
      </section>
      <section aria-labelledby="ws-agencies">
        <h2 id="ws-agencies">What each agency holds</h2>
        <div className="ws-cards">
          {PARTS.map(([agency, field]) => (
            <AgencyCard
              key={agency}
              agency={agency}
              path={`subject.${field}`}
              // The card reads the part generically; its typed shape is the query's.
              part={person[field] as Parameters<typeof AgencyCard>[0]["part"]}
              notes={notes}
              missing={missing}
              onRetry={reload}
            />
          ))}
        </div>
      </section>
      <ChronologyView items={chronologyOf(person)} />
    </>
  );
}

/** One person, read under the enquiry's purpose; break glass for one request when chosen. */
export function PersonPage({
  client,
  enquiryId,
  subjectId,
  announce,
}: {
  client: MashClient;
  enquiryId: string;
  subjectId: string;
  announce: (message: string) => void;
}) {
  const loaded = useOperation(
    client,
    WorkspacePersonDocument,
    { id: subjectId },
    { enquiry: enquiryId },
  );
  const [broken, setBroken] = useState<Loaded<{ subject: Person | null }> | undefined>();
  // The break-glass request in flight: aborted on "Return to the normal view", on another person
  // and on leaving, so a late answer never shows as this page's break-glass view.
  const inFlight = useRef<AbortController | undefined>(undefined);
  const backToNormal = () => {
    inFlight.current?.abort();
    inFlight.current = undefined;
    setBroken(undefined);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the person and enquiry are what reset it
  useEffect(() => backToNormal, [enquiryId, subjectId]);
  const breakGlass = (reason: string) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setBroken({ status: "loading" });
    client
      .request(
        WorkspacePersonDocument,
        { id: subjectId },
        { enquiry: enquiryId, breakGlass: reason, signal: controller.signal },
      )
      .then(
        (result) => {
          if (controller.signal.aborted) return;
          setBroken({ status: "ready", ...result });
          announce("Shown once with break glass; the access is recorded and notified.");
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setBroken(failureOf(error));
        },
      );
  };
  // Only a break-glass answer replaces the normal view; while it loads, or after a refusal, the
  // normal view stays and says nothing was released.
  const shown = broken?.status === "ready" ? broken : loaded;
  const title =
    loaded.status === "ready" && loaded.data?.subject
      ? personName(loaded.data.subject.name)
      : subjectId;
  return (
    <>
      <p>
        <a href={`#/enquiry/${encodeURIComponent(enquiryId)}`}>Back to enquiry {enquiryId}</a>
      </p>
      <h1 tabIndex={-1} className="ws-page-title">
        {title}
      </h1>
      <p>Read for enquiry {enquiryId}.</p>
      {broken?.status === "ready" ? (
        <div className="ws-break-glass-banner" role="status">
          <p>
            <strong>Break glass view.</strong> This one answer was read with your break-glass
            reason; reloading shows the normal view.
          </p>
          <button type="button" onClick={backToNormal}>
            Return to the normal view
          </button>
        </div>
      ) : broken?.status === "loading" ? (
        <div className="ws-break-glass-banner" role="status">
          <p>Breaking glass for {title}…</p>
          <button type="button" onClick={backToNormal}>
            Cancel and keep the normal view
          </button>
        </div>
      ) : (
        <>
          {broken?.status === "failed" ? (
            <ProblemAlert
              title="Break glass refused"
              problems={broken.problems}
              requestId={broken.requestId}
            >
              <p>Nothing more was shown; below is the normal view.</p>
            </ProblemAlert>
          ) : null}
          <BreakGlass who={title} onBreak={breakGlass} />
        </>
      )}
      <LoadState loaded={shown} what={`person ${subjectId}`}>
        {(answer) => (
          <PersonView
            answer={answer}
            enquiryId={enquiryId}
            reload={() => {
              backToNormal();
              loaded.reload();
            }}
          />
        )}
      </LoadState>
    </>
  );
}
