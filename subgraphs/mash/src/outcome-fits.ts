import { badUserInput } from "@mash/kit";
import type { Transaction } from "kysely";
import type { MashDB } from "./store.ts";

/** Children Act 1989 (s17, s47) and early help are for children; Care Act 2014 s42 for adults. */
const FOR_A_CHILD: readonly string[] = [
  "SECTION_17_ASSESSMENT",
  "STRATEGY_DISCUSSION",
  "SECTION_47_ENQUIRY",
  "EARLY_HELP",
];
const FOR_AN_ADULT: readonly string[] = ["SECTION_42_ENQUIRY"];

/**
 * Refuses an outcome that fits none of the people the enquiry links: a s42 enquiry needs an
 * adult, and the children's outcomes a child, on the day of the decision. A person whose date of
 * birth is unknown may be either, so never stands in the way.
 */
export async function requireOutcomeFits(
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
