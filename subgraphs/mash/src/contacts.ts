import { badUserInput, type CallerContext, type Store, toDateTime, toFlag } from "@mash/kit";
import type { Kysely } from "kysely";
import { type ContactRow, type ContactView, toContact } from "./contact-view.ts";
import {
  optionalText,
  requireIdList,
  requireKnownSubjects,
  requireReceivedAt,
  requireText,
} from "./contacts-input.ts";
import { lockNumbering } from "./numbering.ts";
import { requireReason } from "./require-reason.ts";
import type { MashSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";
import { isUniqueViolation } from "./unique-violation.ts";

export type { ContactRow, ContactView, ScreeningView } from "./contact-view.ts";
export { toContact } from "./contact-view.ts";
export {
  SCREENING_OUTCOMES,
  type ScreenContactArgs,
  type ScreeningOutcome,
  screenContact,
} from "./screen-contact.ts";

/** Far more people than one contact is about; it bounds one statement, and a careless paste. */
export const MAX_CONTACT_SUBJECTS = 50;
const MAX_NAME = 200;
const MAX_HOW_TO_REACH = 500;

export const REFERRER_KINDS = ["AGENCY", "PUBLIC"] as const;

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
