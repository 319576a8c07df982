import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import { callerAgency } from "./agencies.ts";
import { enquiryForUpdate } from "./decision.ts";
import { requireReason } from "./enquiries.ts";
import type { MashSettings } from "./settings.ts";
import { insertSharingDecision, requireDecisionKind, retryOnSeqClash } from "./sharing.ts";
import { type MashDB, type ResearchRequestView, toResearchRequest } from "./store.ts";

/** A finding is what an agency holds that is relevant: a summary, not its whole record. */
export const MAX_FINDING = 8000;

export interface AnswerResearchInput {
  enquiryId: string;
  /** When given, it must be the caller's own agency: nobody answers for another. */
  agency?: string | null;
  finding?: string | null;
  nothingKnown?: boolean | null;
  decision: string;
  decisionReason: string;
}

/**
 * The caller's agency answers its research request in an open enquiry: what it found, or that
 * it knows nothing, and its sharing decision with the reasons (golden rule 7). The decision is
 * appended to the enquiry's sharing history like any other; the request points at it. Answering
 * again amends the finding and the decision (by the caller; answeredAt stays the first answer
 * time, and the amendment is dated by its decision); the earlier decision stays in the
 * history. Every check runs before anything is written, and the writes share one transaction.
 *
 * On PostgreSQL the enquiry row is locked first, as a close (`enquiryForUpdate`), an ask and a
 * release (`enquiryLedBy`) lock it: whichever comes second waits, then sees what the first
 * did, so no answer lands in an enquiry closed, or a request released, after it was checked.
 */
export async function answerResearch(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  input: AnswerResearchInput,
  now = new Date(),
): Promise<ResearchRequestView> {
  const agency = callerAgency(caller, "an agency answers its own research request");
  if (input.agency != null && input.agency.trim() !== agency) {
    throw badUserInput(
      `input.agency is ${input.agency.trim()}, and yours is ${agency}: an agency answers only its own research request, never for another agency.`,
      "input.agency",
    );
  }
  const nothingKnown = input.nothingKnown === true;
  const finding = requireFinding(input.finding, nothingKnown);
  const decision = requireDecisionKind(input.decision, "input.decision");
  const decisionReason = requireReason(
    input.decisionReason,
    "input.decisionReason",
    settings.minReasonLength,
  );
  const enquiryId = input.enquiryId.trim();

  return retryOnSeqClash(store, async (trx) => {
    const enquiry = await enquiryForUpdate(trx, store.dialect, enquiryId, "input.enquiryId");
    if (enquiry.status !== "OPEN") {
      throw badUserInput(
        `${enquiryId} is closed: research is answered while an enquiry is open.`,
        "input.enquiryId",
      );
    }
    const request = await trx
      .selectFrom("research_requests")
      .where("enquiry_id", "=", enquiryId)
      .where("agency", "=", agency)
      .selectAll()
      .executeTakeFirst();
    if (!request) {
      throw badUserInput(
        `${agency} has not been asked to research in ${enquiryId}: an agency answers only a request made to it.`,
        "input.enquiryId",
      );
    }
    if (request.released_at !== null) {
      throw badUserInput(
        `${agency} was released from ${enquiryId} (${request.released_at}): a released request is not answered; the lead agency may ask again.`,
        "input.enquiryId",
      );
    }

    const answeredAt = toDateTime(now);
    const recorded = await insertSharingDecision(trx, {
      enquiry_id: enquiryId,
      agency,
      decision,
      reason: decisionReason,
      recorded_by: caller.sub,
      recorded_at: answeredAt,
    });
    const answer = {
      // When the agency first answered: an amendment must not turn an answer given in time into
      // a late one. The amendment's own time is its sharing decision's recordedAt.
      answered_at: request.answered_at ?? answeredAt,
      answered_by: caller.sub,
      finding,
      nothing_known: nothingKnown ? 1 : 0,
      decision_seq: recorded.seq,
    };
    await trx
      .updateTable("research_requests")
      .set(answer)
      .where("enquiry_id", "=", enquiryId)
      .where("agency", "=", agency)
      .execute();
    return toResearchRequest({ ...request, ...answer });
  });
}

/** The finding, trimmed; null when nothing is known. Exactly one of the two must be given. */
function requireFinding(finding: string | null | undefined, nothingKnown: boolean): string | null {
  if (nothingKnown) {
    if (finding != null) {
      throw badUserInput(
        "input.finding is given with nothingKnown: true: say what was found, or that nothing is known, not both.",
        "input.finding",
      );
    }
    return null;
  }
  const trimmed = finding?.trim() ?? "";
  if (!trimmed) {
    throw badUserInput(
      "input.finding is empty: say what your agency found that is relevant, or answer nothingKnown: true.",
      "input.finding",
    );
  }
  if (trimmed.length > MAX_FINDING) {
    throw badUserInput(
      `input.finding has ${trimmed.length} characters; at most ${MAX_FINDING}: a summary of what is relevant.`,
      "input.finding",
    );
  }
  return trimmed;
}
