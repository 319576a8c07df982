import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import { callerAgency } from "./agencies.ts";
import { type ContactView, toContact } from "./contact-view.ts";
import { screenedAs } from "./contacts-enquiry.ts";
import { requireReason } from "./require-reason.ts";
import type { MashSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

export const SCREENING_OUTCOMES = [
  "NO_FURTHER_ACTION_OR_ADVICE",
  "PASS_TO_ALLOCATED_WORKER",
  "PROGRESS_TO_ENQUIRY",
] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

export interface ScreenContactArgs {
  id: string;
  outcome: string;
  reason: string;
}

/**
 * The front door's screening of a contact, once, recorded with the screener's agency (as the
 * gateway signed it) and the reason. PASS_TO_ALLOCATED_WORKER and NO_FURTHER_ACTION_OR_ADVICE
 * end the contact there; PROGRESS_TO_ENQUIRY leaves it ready for openEnquiry. Which roles may
 * screen is the sharing agreement's to say, at the gateway.
 */
export async function screenContact(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  args: ScreenContactArgs,
  now = new Date(),
): Promise<ContactView> {
  const agency = callerAgency(caller, "a contact is screened by an agency's front door");
  const id = args.id.trim();
  const outcome = requireOutcome(args.outcome);
  const reason = requireReason(args.reason, "reason", settings.minReasonLength);

  return store.db.transaction().execute(async (trx) => {
    // Locked on PostgreSQL so a screening and an opening from the same contact cannot both pass.
    let query = trx.selectFrom("contacts").where("id", "=", id).selectAll();
    if (store.dialect === "postgres") query = query.forUpdate();
    const contact = await query.executeTakeFirst();
    if (!contact) throw badUserInput(`There is no contact ${id}.`, "id");
    if (contact.screening_outcome !== null) {
      throw badUserInput(`${id} ${screenedAs(contact)}: a contact is screened once.`, "id");
    }
    const screened = {
      screening_outcome: outcome,
      screening_reason: reason,
      screened_agency: agency,
      screened_by: caller.sub,
      screened_at: toDateTime(now),
    };
    await trx.updateTable("contacts").set(screened).where("id", "=", id).execute();
    return toContact({ ...contact, ...screened });
  });
}

function requireOutcome(outcome: string): ScreeningOutcome {
  const found = SCREENING_OUTCOMES.find((o) => o === outcome);
  if (!found) {
    throw badUserInput(
      `outcome must be one of ${SCREENING_OUTCOMES.join(", ")}; got ${JSON.stringify(outcome)}.`,
      "outcome",
    );
  }
  return found;
}
