import { badUserInput, type CallerContext, type Store, toDateTime, toFlag } from "@mash/kit";
import type { Kysely } from "kysely";
import { callerAgency } from "./agencies.ts";
import { screenedAs } from "./contacts-enquiry.ts";
import {
  optionalText,
  requireIdList,
  requireKnownSubjects,
  requireReceivedAt,
  requireText,
} from "./contacts-input.ts";
import { isUniqueViolation, requireReason } from "./enquiries.ts";
import { lockNumbering } from "./numbering.ts";
import type { MashSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

/** Far more people than one contact is about; it bounds one statement, and a careless paste. */
export const MAX_CONTACT_SUBJECTS = 50;
const MAX_NAME = 200;
const MAX_HOW_TO_REACH = 500;

export const REFERRER_KINDS = ["AGENCY", "PUBLIC"] as const;
export const SCREENING_OUTCOMES = [
  "NO_FURTHER_ACTION_OR_ADVICE",
  "PASS_TO_ALLOCATED_WORKER",
  "PROGRESS_TO_ENQUIRY",
] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

export type ContactRow = MashDB["contacts"];

export interface ScreeningView {
  outcome: string;
  reason: string;
  agency: string;
  screenedBy: string;
  screenedAt: string;
}

export interface ContactView {
  id: string;
  receivedAt: string;
  recordedAt: string;
  recordedBy: string;
  referrer: {
    kind: string;
    agency: string | null;
    name: string;
    role: string | null;
    howToReach: string | null;
  };
  concern: string;
  consentSought: boolean;
  consentReason: string;
  screening: ScreeningView | null;
  /** The enquiry it was progressed to; null until one is opened from it. */
  enquiryId: string | null;
}

export function toContact(row: ContactRow): ContactView {
  return {
    id: row.id,
    receivedAt: row.received_at,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
    referrer: {
      kind: row.referrer_kind,
      agency: row.referrer_agency,
      name: row.referrer_name,
      role: row.referrer_role,
      howToReach: row.referrer_how,
    },
    concern: row.concern,
    consentSought: row.consent_sought === 1,
    consentReason: row.consent_reason,
    screening:
      row.screening_outcome && row.screened_at
        ? {
            outcome: row.screening_outcome,
            reason: row.screening_reason ?? "",
            agency: row.screened_agency ?? "",
            screenedBy: row.screened_by ?? "",
            screenedAt: row.screened_at,
          }
        : null,
    enquiryId: row.enquiry_id,
  };
}

export interface RecordContactInput {
  referrer: {
    kind: string;
    agency?: string | null;
    name: string;
    role?: string | null;
    howToReach?: string | null;
  };
  receivedAt?: string | null;
  concern: string;
  consentSought: boolean;
  consentReason: string;
  subjectIds?: string[] | null;
}

/**
 * Records a contact to the front door, by the caller, unscreened. A referrer of kind AGENCY must
 * name its organisation (`referrer.agency`), and a member of the public (PUBLIC) must not: one
 * who speaks for an organisation is that organisation's referrer, and dropping what was typed
 * would lose it silently, so it is refused instead. The concern is a reason of substance (the
 * hub's minimum length); consent's reason must be given. Every check runs before anything is
 * written, and the contact and its people are written in one transaction.
 */
export async function recordContact(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  input: RecordContactInput,
  now = new Date(),
): Promise<ContactView> {
  const kind = input.referrer.kind;
  if (!(REFERRER_KINDS as readonly string[]).includes(kind)) {
    throw badUserInput(
      `input.referrer.kind must be AGENCY or PUBLIC; got ${JSON.stringify(kind)}.`,
      "input.referrer.kind",
    );
  }
  const agency = optionalText(input.referrer.agency, "input.referrer.agency", MAX_NAME);
  if (kind === "AGENCY" && !agency) {
    throw badUserInput(
      "input.referrer.agency is empty: a referrer of kind AGENCY names the organisation it refers for.",
      "input.referrer.agency",
    );
  }
  if (kind === "PUBLIC" && agency) {
    throw badUserInput(
      "input.referrer.agency is given for a member of the public: record an organisation's referrer with kind AGENCY.",
      "input.referrer.agency",
    );
  }
  const name = requireText(input.referrer.name, "input.referrer.name", MAX_NAME);
  const role = optionalText(input.referrer.role, "input.referrer.role", MAX_NAME);
  const howToReach = optionalText(
    input.referrer.howToReach,
    "input.referrer.howToReach",
    MAX_HOW_TO_REACH,
  );
  const receivedAt = requireReceivedAt(input.receivedAt, now);
  const concern = requireReason(input.concern, "input.concern", settings.minReasonLength);
  if (typeof input.consentSought !== "boolean") {
    throw badUserInput("input.consentSought must be true or false.", "input.consentSought");
  }
  const consentReason = requireReason(input.consentReason, "input.consentReason");
  const subjectIds = requireIdList(
    input.subjectIds,
    "input.subjectIds",
    MAX_CONTACT_SUBJECTS,
    "subjects",
  );

  // As for enquiries: two recordings may pick the same next number on PostgreSQL; the unique
  // index refuses one, which tries again with the next.
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.db.transaction().execute(async (trx) => {
        await requireKnownSubjects(trx, subjectIds, "input.subjectIds");
        await lockNumbering(trx, store.dialect, "contacts");
        const number = (await nextContactNumber(trx)) + attempt;
        const row: ContactRow = {
          id: `CON-${number}`,
          number,
          received_at: receivedAt,
          recorded_at: toDateTime(now),
          recorded_by: caller.sub,
          referrer_kind: kind,
          referrer_agency: agency,
          referrer_name: name,
          referrer_role: role,
          referrer_how: howToReach,
          concern,
          consent_sought: toFlag(input.consentSought),
          consent_reason: consentReason,
          screening_outcome: null,
          screening_reason: null,
          screened_agency: null,
          screened_by: null,
          screened_at: null,
          enquiry_id: null,
        };
        await trx.insertInto("contacts").values(row).execute();
        if (subjectIds.length) {
          await trx
            .insertInto("contact_subjects")
            .values(
              subjectIds.map((subject_id) => ({
                contact_id: row.id,
                subject_id,
                received_at: receivedAt,
              })),
            )
            .execute();
        }
        return toContact(row);
      });
    } catch (error) {
      if (attempt < 5 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function nextContactNumber(db: Kysely<MashDB>): Promise<number> {
  const row = await db
    .selectFrom("contacts")
    .select((eb) => eb.fn.max("number").as("max"))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

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

/** Contacts, newest first: all, only the screened, or (screened: false) those awaiting screening. */
export async function listContacts(
  store: Store<MashDB>,
  args: { screened?: boolean | null; first?: number | null },
): Promise<ContactView[]> {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) {
    throw badUserInput(`first must be between 1 and 500; got ${first}.`, "first");
  }
  let query = store.db
    .selectFrom("contacts")
    .selectAll()
    .orderBy("received_at", "desc")
    .orderBy("number", "desc")
    .limit(first);
  if (args.screened === true) query = query.where("screening_outcome", "is not", null);
  if (args.screened === false) query = query.where("screening_outcome", "is", null);
  return (await query.execute()).map(toContact);
}
