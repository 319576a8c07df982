import { badUserInput, type CallerContext, type Dialect, type Store, toDateTime } from "@mash/kit";
import type { Transaction } from "kysely";
import { callerAgency } from "./agencies.ts";
import { requireReason } from "./enquiries.ts";
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

/** Children Act 1989 (s17, s47) and early help are for children; Care Act 2014 s42 for adults. */
const FOR_A_CHILD: readonly string[] = [
  "SECTION_17_ASSESSMENT",
  "STRATEGY_DISCUSSION",
  "SECTION_47_ENQUIRY",
  "EARLY_HELP",
];
const FOR_AN_ADULT: readonly string[] = ["SECTION_42_ENQUIRY"];

/** A clock a few minutes fast on a manager's device is not a feedback given in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_HOW = 200;

export interface ReferrerFeedbackInput {
  givenAt?: string | null;
  how: string;
}

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

/** The feedback's parts, checked alone; when it was given is checked against the enquiry too. */
function requireFeedback(
  input: ReferrerFeedbackInput,
  now: Date,
): { givenAt: string; how: string } {
  const how = input.how.trim();
  if (!how) {
    throw badUserInput(
      "feedback.how is empty: say how the referrer was told (phone, letter, email, in person).",
      "feedback.how",
    );
  }
  if (how.length > MAX_HOW)
    throw badUserInput(`feedback.how is longer than ${MAX_HOW} characters.`, "feedback.how");
  if (input.givenAt === null || input.givenAt === undefined)
    return { givenAt: toDateTime(now), how };
  const given = Date.parse(input.givenAt);
  if (Number.isNaN(given))
    throw badUserInput(`feedback.givenAt is not a date and time.`, "feedback.givenAt");
  if (given > now.getTime() + CLOCK_SKEW_MS) {
    throw badUserInput(
      `feedback.givenAt (${toDateTime(given)}) is in the future: record feedback once it is given.`,
      "feedback.givenAt",
    );
  }
  return { givenAt: toDateTime(given), how };
}

function givenAfterOpening(givenAt: string, enquiry: EnquiryRow): void {
  if (Date.parse(givenAt) < Date.parse(enquiry.opened_at)) {
    throw badUserInput(
      `feedback.givenAt (${givenAt}) is before ${enquiry.id} opened (${enquiry.opened_at}).`,
      "feedback.givenAt",
    );
  }
}

/**
 * Refuses an outcome that fits none of the people the enquiry links: a s42 enquiry needs an
 * adult, and the children's outcomes a child, on the day of the decision. A person whose date of
 * birth is unknown may be either, so never stands in the way.
 */
async function requireOutcomeFits(
  trx: Transaction<MashDB>,
  enquiryId: string,
  outcome: string,
  now: Date,
): Promise<void> {
  const needsChild = FOR_A_CHILD.includes(outcome);
  if (!needsChild && !FOR_AN_ADULT.includes(outcome)) return;
  const people = await trx
    .selectFrom("enquiry_subjects as l")
    .innerJoin("subjects as s", "s.id", "l.subject_id")
    .where("l.enquiry_id", "=", enquiryId)
    .select("s.date_of_birth")
    .execute();
  const today = londonDate(now);
  const fits = people.some((p) => {
    if (!p.date_of_birth) return true;
    const adult = ageOn(p.date_of_birth, today) >= 18;
    return needsChild ? !adult : adult;
  });
  if (!fits) {
    const who = needsChild ? "a child" : "an adult (18 or over)";
    throw badUserInput(
      people.length === 0
        ? `${outcome} is for ${who}, and ${enquiryId} links no one.`
        : `${outcome} is for ${who}, and ${enquiryId} links none on the day of the decision.`,
      "outcome",
    );
  }
}

/** The calendar date in England, where a MASH decides: ages turn at local midnight. */
function londonDate(at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(at);
}

/** Whole years from a YYYY-MM-DD birth date to a YYYY-MM-DD date. */
function ageOn(dateOfBirth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return date.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}
