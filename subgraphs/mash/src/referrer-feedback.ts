import { badUserInput, toDateTime } from "@mash/kit";
import type { EnquiryRow } from "./store.ts";

/** A clock a few minutes fast on a manager's device is not a feedback given in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_HOW = 200;

export interface ReferrerFeedbackInput {
  givenAt?: string | null;
  how: string;
}

/** The feedback's parts, checked alone; when it was given is checked against the enquiry too. */
export function requireFeedback(
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

/** Feedback is given about an enquiry, so not before it opened. */
export function givenAfterOpening(givenAt: string, enquiry: EnquiryRow): void {
  if (Date.parse(givenAt) < Date.parse(enquiry.opened_at)) {
    throw badUserInput(
      `feedback.givenAt (${givenAt}) is before ${enquiry.id} opened (${enquiry.opened_at}).`,
      "feedback.givenAt",
    );
  }
}
