import { ProblemAlert } from "../shared/problem-alert.tsx";
import type { ActionContext } from "./action-context.ts";
import {
  AnswerResearchForm,
  DecideForm,
  DisagreeForm,
  SharingDecisionForm,
} from "./enquiry-forms.tsx";
import { WorkspaceCapabilitiesDocument } from "./generated/operations.ts";
import { AskAgenciesForm, ChangeRagForm, ReleaseResearchForm } from "./lead-forms.tsx";
import { useOperation } from "./use-operation.ts";

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
