import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import type { Kysely } from "kysely";
import { callerAgency, refuseLead, requireAgencyList } from "./agencies.ts";
import { contactsToOpen, MAX_ENQUIRY_CONTACTS, takeContacts } from "./contacts-enquiry.ts";
import { requireIdList, requireKnownSubjects } from "./contacts-input.ts";
import { lockNumbering } from "./numbering.ts";
import { requireReason } from "./require-reason.ts";
import type { MashSettings, Rag } from "./settings.ts";
import { askedRequest, type EnquiryView, type MashDB, toEnquiry } from "./store.ts";
import { dueAt } from "./timescales.ts";
import { isUniqueViolation } from "./unique-violation.ts";

export { listEnquiries } from "./list-enquiries.ts";
export { requireReason } from "./require-reason.ts";
export { isUniqueViolation } from "./unique-violation.ts";

const MAX_SUBJECTS = 50;

export interface OpenEnquiryInput {
  reason: string;
  rag: Rag;
  /** The people it links; with contactIds, added to the people those contacts concern. */
  subjectIds?: string[] | null;
  /** The contacts it is opened from; none when it is opened directly. */
  contactIds?: string[] | null;
  /** Agencies to rag in at opening; the same as asking them with requestResearch just after. */
  ask?: string[] | null;
}

/** When an enquiry opened at `openedAt` with this rating must be decided. */
export function dueBy(openedAt: Date, rag: Rag, settings: MashSettings): string {
  return dueAt(settings.timescales, openedAt, rag);
}

/**
 * Opens an enquiry led by the caller's agency (as the gateway signed it), asking the agencies in
 * `input.ask` to research. Opened from contacts (`input.contactIds`), it links the people they
 * concern as well as `input.subjectIds`, and takes the contacts (screening any not yet screened
 * as progressed to it); opened from none, it says so (`without_contact`). Every check runs before
 * anything is written, and the writes share one transaction, so bad input changes nothing.
 */
export async function openEnquiry(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  input: OpenEnquiryInput,
  now = new Date(),
): Promise<EnquiryView> {
  // The lead is whoever's front door opened it: never an argument, so no one can open an
  // enquiry in another agency's name.
  const lead = callerAgency(caller, "an enquiry is led by the agency of whoever opens it");
  const reason = requireReason(input.reason, "input.reason", settings.minReasonLength);
  const ask = requireAgencyList(input.ask ?? [], "input.ask");
  refuseLead(ask, "input.ask", lead);
  const named = requireIdList(input.subjectIds, "input.subjectIds", MAX_SUBJECTS, "subjects");
  const contactIds = requireIdList(
    input.contactIds,
    "input.contactIds",
    MAX_ENQUIRY_CONTACTS,
    "contacts",
  );
  if (named.length === 0 && contactIds.length === 0)
    throw badUserInput("input.subjectIds is empty: link at least one subject.", "input.subjectIds");

  // Numbering is serialised (lockNumbering); the unique index stays the last word, and a clash
  // it refuses simply tries again with the next number.
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.db.transaction().execute(async (trx) => {
        // The contacts first: on PostgreSQL this locks them before anything else is read.
        const taken = await contactsToOpen(trx, store.dialect, contactIds);
        await requireKnownSubjects(trx, named, "input.subjectIds");
        const ids = [...new Set([...named, ...taken.subjectIds])];
        if (ids.length === 0) {
          throw badUserInput(
            `input.subjectIds is empty and ${contactIds.join(", ")} ${contactIds.length > 1 ? "concern" : "concerns"} no one yet: link at least one subject.`,
            "input.subjectIds",
          );
        }
        if (ids.length > MAX_SUBJECTS) {
          throw badUserInput(
            `input.subjectIds and the contacts' people make ${ids.length} subjects; at most ${MAX_SUBJECTS}.`,
            "input.subjectIds",
          );
        }
        await lockNumbering(trx, store.dialect, "enquiries");
        const number = (await nextNumber(trx)) + attempt;
        const row = {
          id: `ENQ-${number}`,
          number,
          status: "OPEN",
          rag: input.rag,
          opened_at: toDateTime(now),
          due_by: dueBy(now, input.rag, settings),
          reason,
          outcome: null,
          closed_at: null,
          close_reason: null,
          lead,
          opened_by: caller.sub,
          without_contact: contactIds.length ? 0 : 1,
          decided_by: null,
          feedback_at: null,
          feedback_how: null,
          feedback_by: null,
        };
        await trx.insertInto("enquiries").values(row).execute();
        await trx
          .insertInto("enquiry_subjects")
          .values(ids.map((subject_id) => ({ enquiry_id: row.id, subject_id })))
          .execute();
        // The history starts with the rating it opened with, for the reason it opened.
        await trx
          .insertInto("rag_changes")
          .values({
            enquiry_id: row.id,
            seq: 1,
            rag: row.rag,
            previous: null,
            reason,
            changed_by: caller.sub,
            changed_at: row.opened_at,
          })
          .execute();
        await takeContacts(trx, taken, {
          id: row.id,
          reason,
          lead,
          openedBy: caller.sub,
          openedAt: row.opened_at,
        });
        if (ask.length) {
          await trx
            .insertInto("research_requests")
            .values(
              ask.map((agency) =>
                askedRequest(row.id, agency, row.opened_at, caller.sub, row.due_by),
              ),
            )
            .execute();
        }
        return toEnquiry(row);
      });
    } catch (error) {
      if (attempt < 5 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function nextNumber(db: Kysely<MashDB>): Promise<number> {
  const row = await db
    .selectFrom("enquiries")
    .select((eb) => eb.fn.max("number").as("max"))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}
