import { badUserInput, type CallerContext, type Dialect, type Store, toDateTime } from "@mash/kit";
import type { Transaction } from "kysely";
import { callerAgency } from "./agencies.ts";
import { requireOutcomeFits } from "./outcome-fits.ts";
import {
  givenAfterOpening,
  type ReferrerFeedbackInput,
  requireFeedback,
} from "./referrer-feedback.ts";
import { requireReason } from "./require-reason.ts";
import type { MashSettings } from "./settings.ts";
import { type EnquiryRow, type EnquiryView, type MashDB, toEnquiry } from "./store.ts";

export const ENQUIRY_OUTCOMES = [
  "NO_FURTHER_ACTION",
  "INFORMATION_AND_ADVICE",
  "EARLY_HELP",
  "SINGLE_AGENCY_RESPONSE",
  "SECTION_17_ASSESSMENT",
  "STRATEGY_DISCUSSION",
  "SECTION_47_ENQUIRY",
  "SECTION_42_ENQUIRY",
  "REFERRED_TO_OTHER_SERVICE",
] as const;
export type EnquiryOutcome = (typeof ENQUIRY_OUTCOMES)[number];
export type { ReferrerFeedbackInput } from "./referrer-feedback.ts";

export interface CloseEnquiryArgs {
  id: string;
  outcome: string;
  reason: string;
  feedback?: ReferrerFeedbackInput | null;
}

/**
 * The decision: records the outcome with the reasons, who decided, and optionally the feedback
 * to the referrer, and closes the enquiry. Every check runs before the one write; on PostgreSQL
 * the row is locked, so of two closes racing, the second sees the first and is refused.
 */
export async function closeEnquiry(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  args: CloseEnquiryArgs,
  now = new Date(),
): Promise<EnquiryView> {
  const id = args.id.trim();
  if (!ENQUIRY_OUTCOMES.includes(args.outcome as EnquiryOutcome)) {
    throw badUserInput(
      `outcome must be one of ${ENQUIRY_OUTCOMES.join(", ")}; got ${args.outcome}.`,
      "outcome",
    );
  }
  const reason = requireReason(args.reason, "reason", settings.minReasonLength);
  const feedback = args.feedback ? requireFeedback(args.feedback, now) : null;

  return store.db.transaction().execute(async (trx) => {
    const existing = await enquiryForUpdate(trx, store.dialect, id, "id");
    // Taking part first: what was decided is for the agencies taking part, not for a refusal.
    await requireTakesPart(trx, caller, existing, "id", "decides it");
    if (existing.status !== "OPEN") {
      throw badUserInput(
        `${id} is already closed (${existing.outcome ?? "no outcome"}, ${existing.closed_at ?? "date unknown"}).`,
        "id",
      );
    }
    await requireOutcomeFits(trx, id, args.outcome, now);
    if (feedback) givenAfterOpening(feedback.givenAt, existing);
    const closed: EnquiryRow = {
      ...existing,
      status: "CLOSED",
      outcome: args.outcome,
      closed_at: toDateTime(now),
      close_reason: reason,
      decided_by: caller.sub,
      feedback_at: feedback?.givenAt ?? null,
      feedback_how: feedback?.how ?? null,
      feedback_by: feedback ? caller.sub : null,
    };
    const { id: _id, ...changes } = closed;
    // The status condition keeps a close that got past the check without the lock (SQLite has
    // none, and relies on its one connection) from rewriting another's decision.
    const result = await trx
      .updateTable("enquiries")
      .set(changes)
      .where("id", "=", id)
      .where("status", "=", "OPEN")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1)
      throw badUserInput(`${id} was closed by someone else just now.`, "id");
    return toEnquiry(closed);
  });
}

export interface RecordReferrerFeedbackArgs {
  enquiryId: string;
  feedback: ReferrerFeedbackInput;
}

/**
 * How and when the referrer was told of a decided enquiry's outcome. Recorded once: a second
 * record would rewrite what was told, so it is refused, saying when the first was recorded.
 */
export async function recordReferrerFeedback(
  store: Store<MashDB>,
  caller: CallerContext,
  args: RecordReferrerFeedbackArgs,
  now = new Date(),
): Promise<EnquiryView> {
  const enquiryId = args.enquiryId.trim();
  const feedback = requireFeedback(args.feedback, now);

  return store.db.transaction().execute(async (trx) => {
    const existing = await enquiryForUpdate(trx, store.dialect, enquiryId, "enquiryId");
    if (existing.status !== "CLOSED") {
      throw badUserInput(
        `${enquiryId} is not decided yet: the referrer is told of the outcome, so record it with the decision or after.`,
        "enquiryId",
      );
    }
    if (existing.feedback_at !== null) {
      throw badUserInput(
        `The feedback to the referrer for ${enquiryId} was already recorded (given ${existing.feedback_at}, recorded by ${existing.feedback_by ?? "unknown"}).`,
        "enquiryId",
      );
    }
    await requireTakesPart(
      trx,
      caller,
      existing,
      "enquiryId",
      "records what its referrer was told",
    );
    givenAfterOpening(feedback.givenAt, existing);
    const changes = {
      feedback_at: feedback.givenAt,
      feedback_how: feedback.how,
      feedback_by: caller.sub,
    };
    const result = await trx
      .updateTable("enquiries")
      .set(changes)
      .where("id", "=", enquiryId)
      .where("feedback_at", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw badUserInput(
        `The feedback to the referrer for ${enquiryId} was recorded by someone else just now.`,
        "enquiryId",
      );
    }
    return toEnquiry({ ...existing, ...changes });
  });
}

/**
 * A decision maker decides only an enquiry their agency takes part in (leads, or was asked to
 * research and not released): the one whose details the agreement shows them. No one decides
 * an enquiry they cannot read; an agency outside it is asked in by the lead first.
 */
async function requireTakesPart(
  trx: Transaction<MashDB>,
  caller: CallerContext,
  enquiry: EnquiryRow,
  field: string,
  doing: string,
): Promise<void> {
  const agency = callerAgency(caller, `an agency taking part in the enquiry ${doing}`);
  if (enquiry.lead === agency) return;
  const request = await trx
    .selectFrom("research_requests")
    .where("enquiry_id", "=", enquiry.id)
    .where("agency", "=", agency)
    .where("released_at", "is", null)
    .select("agency")
    .executeTakeFirst();
  if (!request) {
    throw badUserInput(
      `Your agency, ${agency}, takes no part in ${enquiry.id}: only an agency taking part ${doing}.`,
      field,
    );
  }
}

/**
 * The enquiry, refused naming `field` when there is none. On PostgreSQL the row stays locked
 * until the transaction ends, so whatever is checked against it still holds at the write, and
 * writers of the same enquiry's history (numbered by seq) take turns. SQLite runs one
 * transaction at a time on the store's one connection, and has no FOR UPDATE.
 */
export async function enquiryForUpdate(
  trx: Transaction<MashDB>,
  dialect: Dialect,
  enquiryId: string,
  field: string,
): Promise<EnquiryRow> {
  let query = trx.selectFrom("enquiries").where("id", "=", enquiryId).selectAll();
  if (dialect === "postgres") query = query.forUpdate();
  const enquiry = await query.executeTakeFirst();
  if (!enquiry) throw badUserInput(`There is no enquiry ${enquiryId}.`, field);
  return enquiry;
}
