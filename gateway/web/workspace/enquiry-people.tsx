import type { WithheldField } from "@mash/client-kit";
import type { WorkspaceEnquiryQuery } from "./generated/operations.ts";
import { personName, when } from "./names.ts";
import { repeatCountAt } from "./repeat-contacts.ts";
import { RepeatContacts } from "./repeat-contacts-view.tsx";

type Enquiry = NonNullable<WorkspaceEnquiryQuery["enquiry"]>;

export const personLink = (enquiryId: string, subjectId: string) =>
  `#/enquiry/${encodeURIComponent(enquiryId)}/person/${encodeURIComponent(subjectId)}`;

/** The enquiry's people: each with their contacts in the last 12 months and their household. */
export function People({ enquiry, notes }: { enquiry: Enquiry; notes: readonly WithheldField[] }) {
  return (
    <section aria-labelledby="ws-people">
      <h2 id="ws-people">People</h2>
      <ul className="ws-cards">
        {(enquiry.subjects ?? []).map((subject, index) => (
          <li key={subject.id} className="ws-card" data-subject={subject.id}>
            <h3>
              <a href={personLink(enquiry.id, subject.id)}>{personName(subject.name)}</a>
            </h3>
            <p>
              Born {when(subject.dateOfBirth) || "(withheld)"}; {subject.id}
            </p>
            <p>
              <RepeatContacts
                count={repeatCountAt(
                  subject.recentContacts,
                  `enquiry.subjects.${index}.recentContacts`,
                  notes,
                )}
              />
            </p>
            <p className="ws-subhead">Household</p>
            <ul>
              {(subject.household ?? []).map((member) => (
                <li key={member.id}>
                  <a href={personLink(enquiry.id, member.id)}>{personName(member.name)}</a>
                  {member.dateOfBirth ? `, born ${when(member.dateOfBirth)}` : ""}
                </li>
              ))}
              {(subject.household ?? []).length === 0 ? <li>No one else recorded</li> : null}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
