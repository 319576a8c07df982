import {
  AnswerResearchDocument,
  DecideEnquiryDocument,
  type EnquiryOutcome,
  RecordDisagreementDocument,
  type SharingDecisionKind,
} from "@mash/client-kit";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { type ActionContext, useAction } from "./action-context.ts";
import { ActionForm, ChoiceField, field, TextField } from "./form-parts.tsx";
import {
  RecordSharingDecisionDocument,
  WorkspaceCapabilitiesDocument,
} from "./generated/operations.ts";
import { AskAgenciesForm, ChangeRagForm, ReleaseResearchForm } from "./lead-forms.tsx";
import { agencyName, enumWords } from "./names.ts";
import { useOperation } from "./use-operation.ts";

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
function SharingDecisionForm({ context }: { context: ActionContext }) {
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

function AnswerResearchForm({ context }: { context: ActionContext }) {
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

function DecideForm({ context }: { context: ActionContext }) {
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

function DisagreeForm({ context }: { context: ActionContext }) {
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

/**
 * The forms the user's agency and role have a use for here. Which mutations the roles may ever use
 * is the graph's word (their role schema, by introspection); whether the enquiry lets the agency
 * use one (it leads, or was asked) the hub checks again, and a refusal shows the graph's words.
 * Until the graph has said, no form is shown: none is offered that the agreement never allows.
 */
export function EnquiryActions({ context }: { context: ActionContext }) {
  const capabilities = useOperation(context.client, WorkspaceCapabilitiesDocument, {});
  const { user, open, lead, asked } = context;
  const leads = lead === user.agency;
  const isAsked = asked.includes(user.agency);
  return (
    <section aria-labelledby="ws-actions" className="ws-actions">
      <h2 id="ws-actions">What I can record</h2>
      {capabilities.status === "loading" ? (
        <p role="status">Checking what your roles may record…</p>
      ) : capabilities.status === "failed" ? (
        <ProblemAlert
          title="Could not check what your roles may record"
          problems={capabilities.problems}
          requestId={capabilities.requestId}
        />
      ) : (
        <Forms
          context={context}
          may={new Set((capabilities.data?.__type?.fields ?? []).map((f) => f.name))}
          leads={leads}
          isAsked={isAsked}
          open={open}
        />
      )}
    </section>
  );
}

function Forms({
  context,
  may,
  leads,
  isAsked,
  open,
}: {
  context: ActionContext;
  may: ReadonlySet<string>;
  leads: boolean;
  isAsked: boolean;
  open: boolean;
}) {
  if (!open) {
    return may.has("recordDisagreement") ? <DisagreeForm context={context} /> : <NothingToRecord />;
  }
  const forms = [
    isAsked && may.has("answerResearch") ? (
      <AnswerResearchForm key="answer" context={context} />
    ) : null,
    may.has("recordSharingDecision") ? (
      <SharingDecisionForm key="sharing" context={context} />
    ) : null,
    leads && may.has("changeRag") ? <ChangeRagForm key="rag" context={context} /> : null,
    leads && may.has("requestResearch") ? <AskAgenciesForm key="ask" context={context} /> : null,
    leads && may.has("releaseResearch") ? (
      <ReleaseResearchForm key="release" context={context} />
    ) : null,
    may.has("closeEnquiry") ? <DecideForm key="decide" context={context} /> : null,
  ].filter((form) => form !== null);
  return forms.length > 0 ? forms : <NothingToRecord />;
}

const NothingToRecord = () => <p>Your roles record nothing in this enquiry.</p>;
