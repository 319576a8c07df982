// The forms of any agency taking part: answer, share, decide, disagree (the lead's: lead-forms.tsx).
import {
  AnswerResearchDocument,
  DecideEnquiryDocument,
  type EnquiryOutcome,
  RecordDisagreementDocument,
  type SharingDecisionKind,
} from "@mash/client-kit";
import { type ActionContext, useAction } from "./action-context.ts";
import { ActionForm, ChoiceField, field, TextField } from "./form-parts.tsx";
import { RecordSharingDecisionDocument } from "./generated/operations.ts";
import { agencyName, enumWords } from "./names.ts";

const SHARING: readonly (readonly [SharingDecisionKind, string])[] = [
  ["SHARE", "Share"],
  ["SHARE_WITH_CONDITIONS", "Share with conditions"],
  ["DO_NOT_SHARE", "Do not share"],
];
const OUTCOMES: readonly EnquiryOutcome[] = [
  "NO_FURTHER_ACTION",
  "INFORMATION_AND_ADVICE",
  "EARLY_HELP",
  "SINGLE_AGENCY_RESPONSE",
  "SECTION_17_ASSESSMENT",
  "STRATEGY_DISCUSSION",
  "SECTION_47_ENQUIRY",
  "SECTION_42_ENQUIRY",
  "REFERRED_TO_OTHER_SERVICE",
];
export function SharingDecisionForm({ context }: { context: ActionContext }) {
  const { submission, submit } = useAction(
    context,
    RecordSharingDecisionDocument,
    "Sharing decision recorded",
  );
  return (
    <ActionForm
      id="ws-sharing"
      title={`Record ${agencyName(context.user.agency)}'s sharing decision`}
      submitLabel="Record sharing decision"
      submission={submission}
      doneMessage="Sharing decision recorded."
      onSubmit={(form) =>
        submit({
          enquiryId: context.enquiryId,
          decision: field(form, "decision") as SharingDecisionKind,
          reason: field(form, "reason"),
        })
      }
    >
      <ChoiceField id="ws-sharing-decision" name="decision" label="Decision" choices={SHARING} />
      <TextField id="ws-sharing-reason" name="reason" label="Reason for the decision" />
    </ActionForm>
  );
}

export function AnswerResearchForm({ context }: { context: ActionContext }) {
  const { submission, submit } = useAction(context, AnswerResearchDocument, "Research answered");
  return (
    <ActionForm
      id="ws-answer"
      title={`Answer the research request for ${agencyName(context.user.agency)}`}
      submitLabel="Record research answer"
      submission={submission}
      doneMessage="Research answer recorded."
      onSubmit={(form) =>
        submit({
          input: {
            enquiryId: context.enquiryId,
            finding: field(form, "finding") || null,
            nothingKnown: form.get("nothingKnown") === "on",
            decision: field(form, "decision") as SharingDecisionKind,
            decisionReason: field(form, "decisionReason"),
          },
        })
      }
    >
      <TextField
        id="ws-answer-finding"
        name="finding"
        label="What my agency found that is relevant"
        required={false}
        hint="Required unless nothing is known."
      />
      <div className="ws-field">
        <input id="ws-answer-nothing" name="nothingKnown" type="checkbox" />
        <label htmlFor="ws-answer-nothing">My agency holds nothing relevant</label>
      </div>
      <ChoiceField
        id="ws-answer-decision"
        name="decision"
        label="Sharing decision"
        choices={SHARING}
      />
      <TextField id="ws-answer-reason" name="decisionReason" label="Reason for the decision" />
    </ActionForm>
  );
}

export function DecideForm({ context }: { context: ActionContext }) {
  const { submission, submit } = useAction(context, DecideEnquiryDocument, "Decision recorded");
  return (
    <ActionForm
      id="ws-decide"
      title="Decide the enquiry"
      submitLabel="Record decision and close"
      submission={submission}
      doneMessage="Decision recorded; the enquiry is closed."
      onSubmit={(form) => {
        const how = field(form, "how").trim();
        submit({
          id: context.enquiryId,
          outcome: field(form, "outcome") as EnquiryOutcome,
          reason: field(form, "reason"),
          feedback: how ? { how } : null,
        });
      }}
    >
      <ChoiceField
        id="ws-decide-outcome"
        name="outcome"
        label="Outcome"
        choices={OUTCOMES.map((outcome) => [outcome, enumWords(outcome)] as const)}
      />
      <TextField id="ws-decide-reason" name="reason" label="Reasons for the decision" />
      <TextField
        id="ws-decide-how"
        name="how"
        label="How the referrer was told"
        required={false}
        multiline={false}
        hint="Leave empty if the referrer has not been told yet."
      />
    </ActionForm>
  );
}

export function DisagreeForm({ context }: { context: ActionContext }) {
  const { submission, submit } = useAction(
    context,
    RecordDisagreementDocument,
    "Disagreement recorded",
  );
  return (
    <ActionForm
      id="ws-disagree"
      title="Disagree with the decision"
      submitLabel="Record disagreement"
      submission={submission}
      doneMessage="Disagreement recorded and escalated to the manager."
      onSubmit={(form) => submit({ enquiryId: context.enquiryId, reason: field(form, "reason") })}
    >
      <TextField id="ws-disagree-reason" name="reason" label="Why my agency disagrees" />
    </ActionForm>
  );
}
