import {
  AskAgenciesDocument,
  ChangeRagDocument,
  type Rag,
  ReleaseAgencyDocument,
} from "@mash/client-kit";
import { type ActionContext, useAction } from "./action-context.ts";
import { ActionForm, ChoiceField, field, TextField } from "./form-parts.tsx";
import { agencyName } from "./names.ts";

const RAGS: readonly (readonly [Rag, string])[] = [
  ["RED", "RED"],
  ["AMBER", "AMBER"],
  ["GREEN", "GREEN"],
];
const AGENCIES = [
  "police",
  "health",
  "education",
  "probation",
  "childrens-services",
  "adult-social-care",
];

/** The lead agency's forms: change the rating, ask agencies in, release one. */
export function ChangeRagForm({ context }: { context: ActionContext }) {
  const { submission, submit } = useAction(context, ChangeRagDocument, "RAG rating changed");
  return (
    <ActionForm
      id="ws-rag"
      title="Change the RAG rating"
      submitLabel="Change rating"
      submission={submission}
      doneMessage="RAG rating changed."
      onSubmit={(form) =>
        submit({
          enquiryId: context.enquiryId,
          rag: field(form, "rag") as Rag,
          reason: field(form, "reason"),
        })
      }
    >
      <ChoiceField id="ws-rag-rag" name="rag" label="New rating" choices={RAGS} />
      <TextField id="ws-rag-reason" name="reason" label="Reason for the change" />
    </ActionForm>
  );
}

export function AskAgenciesForm({ context }: { context: ActionContext }) {
  const { submission, submit } = useAction(context, AskAgenciesDocument, "Agencies asked");
  const candidates = AGENCIES.filter((a) => a !== context.lead && !context.asked.includes(a));
  if (candidates.length === 0) return null;
  return (
    <ActionForm
      id="ws-ask"
      title="Ask agencies to research"
      submitLabel="Ask"
      submission={submission}
      doneMessage="Agencies asked."
      onSubmit={(form) =>
        submit({
          enquiryId: context.enquiryId,
          agencies: form.getAll("agency").filter((a): a is string => typeof a === "string"),
        })
      }
    >
      <fieldset>
        <legend>Agencies to ask</legend>
        {candidates.map((agency) => (
          <div key={agency} className="ws-field">
            <input id={`ws-ask-${agency}`} type="checkbox" name="agency" value={agency} />
            <label htmlFor={`ws-ask-${agency}`}>{agencyName(agency)}</label>
          </div>
        ))}
      </fieldset>
    </ActionForm>
  );
}

/**
 * Releases an agency the lead asked: it stops taking part, so the enquiry no longer gives it a
 * purpose. The reason's minimum length is the hub's setting, so the hub checks it and its
 * message is shown; the browser does not repeat the rule.
 */
export function ReleaseResearchForm({ context }: { context: ActionContext }) {
  const { submission, submit } = useAction(context, ReleaseAgencyDocument, "Agency released");
  if (context.asked.length === 0) return null;
  return (
    <ActionForm
      id="ws-release"
      title="Release an agency from this enquiry"
      submitLabel="Release agency"
      submission={submission}
      doneMessage="Agency released; it no longer takes part in this enquiry."
      onSubmit={(form) =>
        submit({
          enquiryId: context.enquiryId,
          agency: field(form, "agency"),
          reason: field(form, "reason"),
        })
      }
    >
      <ChoiceField
        id="ws-release-agency"
        name="agency"
        label="Agency to release"
        choices={context.asked.map((agency) => [agency, agencyName(agency)] as const)}
      />
      <TextField
        id="ws-release-reason"
        name="reason"
        label="Why it is released"
        hint="The agency loses sight of this enquiry's detail: give a reason a reviewer can follow. The hub refuses one that is too short."
      />
    </ActionForm>
  );
}
