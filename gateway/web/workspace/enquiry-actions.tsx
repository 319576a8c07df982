import {
  AnswerResearchDocument,
  AskAgenciesDocument,
  ChangeRagDocument,
  DecideEnquiryDocument,
  type EnquiryOutcome,
  type MashClient,
  type Rag,
  RecordDisagreementDocument,
  type SharingDecisionKind,
} from "@mash/client-kit";
import { useCallback, useMemo, useRef } from "react";
import { ActionForm, ChoiceField, field, TextField } from "./form-parts.tsx";
import { RecordSharingDecisionDocument } from "./generated/operations.ts";
import { agencyName, enumWords } from "./names.ts";
import type { Practitioner } from "./sign-in.ts";
import { useSubmit } from "./use-submit.ts";

const SHARING: readonly (readonly [SharingDecisionKind, string])[] = [
  ["SHARE", "Share"],
  ["SHARE_WITH_CONDITIONS", "Share with conditions"],
  ["DO_NOT_SHARE", "Do not share"],
];
const RAGS: readonly (readonly [Rag, string])[] = [
  ["RED", "RED"],
  ["AMBER", "AMBER"],
  ["GREEN", "GREEN"],
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
const AGENCIES = [
  "police",
  "health",
  "education",
  "probation",
  "childrens-services",
  "adult-social-care",
];

export interface ActionContext {
  readonly client: MashClient;
  readonly user: Practitioner;
  readonly enquiryId: string;
  readonly open: boolean;
  readonly lead: string | null | undefined;
  /** Agencies asked and not released. */
  readonly asked: readonly string[];
  /** Called after a form recorded something, with what to announce. */
  readonly recorded: (what: string) => void;
}

function useAction<TData extends Record<string, unknown>, TVars>(
  context: ActionContext,
  document: Parameters<typeof useSubmit<TData, TVars>>[1],
  announce: string,
) {
  const options = useMemo(() => ({ enquiry: context.enquiryId }), [context.enquiryId]);
  // The latest page callback, without making a new submit function on every render.
  const recorded = useRef(context.recorded);
  recorded.current = context.recorded;
  const onDone = useCallback(() => recorded.current(announce), [announce]);
  return useSubmit(context.client, document, options, onDone);
}

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

function ChangeRagForm({ context }: { context: ActionContext }) {
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

function AskAgenciesForm({ context }: { context: ActionContext }) {
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
 * The forms the user's agency and role have a use for here. The graph decides whether each is
 * allowed; showing a form only where it can succeed keeps the page short, and a refusal still
 * shows the graph's words.
 */
export function EnquiryActions({ context }: { context: ActionContext }) {
  const { user, open, lead, asked } = context;
  const leads = lead === user.agency;
  const isAsked = asked.includes(user.agency);
  const manager = user.roles.includes("mash_manager");
  return (
    <section aria-labelledby="ws-actions" className="ws-actions">
      <h2 id="ws-actions">What I can record</h2>
      {open ? (
        <>
          {isAsked ? <AnswerResearchForm context={context} /> : null}
          <SharingDecisionForm context={context} />
          {leads ? <ChangeRagForm context={context} /> : null}
          {leads ? <AskAgenciesForm context={context} /> : null}
          {manager ? <DecideForm context={context} /> : null}
        </>
      ) : (
        <DisagreeForm context={context} />
      )}
    </section>
  );
}
