import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import type { Kysely } from "kysely";
import { callerAgency, refuseLead, requireAgencyList } from "./agencies.ts";
import { contactsToOpen, MAX_ENQUIRY_CONTACTS, takeContacts } from "./contacts-enquiry.ts";
import { requireIdList, requireKnownSubjects } from "./contacts-input.ts";
import { lockNumbering } from "./numbering.ts";
import type { MashSettings, Rag } from "./settings.ts";
import { askedRequest, type EnquiryView, type MashDB, toEnquiry } from "./store.ts";
import { dueAt } from "./timescales.ts";

const MAX_SUBJECTS = 50;
const MAX_REASON = 2000;

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

/**
 * A reason of substance, trimmed: refused (naming `field`) when empty, shorter than `min`
 * characters (the hub's configured minimum, where a reason must say why), or too long.
 */
export function requireReason(reason: string, field: string, min = 1): string {
  const trimmed = reason.trim();
  if (!trimmed)
    throw badUserInput(`${field} is empty: record why, in words a reviewer can follow.`, field);
  if (trimmed.length < min) {
    throw badUserInput(
      `${field} has ${trimmed.length} characters; a reason of substance has at least ${min}: say why, in words a reviewer can follow.`,
      field,
    );
  }
  if (trimmed.length > MAX_REASON) {
    throw badUserInput(`${field} is longer than ${MAX_REASON} characters.`, field);
  }
  return trimmed;
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

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return (
    e?.code === "23505" ||
    e?.code === "SQLITE_CONSTRAINT_UNIQUE" ||
    e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

/**
 * Enquiries, newest first. `takingPart` keeps those the caller's agency takes part in (true) or
 * not (false), by the same rule as Enquiry.takesPart: it leads, or has a research request in it
 * that was not released. A caller with no agency takes part in none.
 */
export async function listEnquiries(
  store: Store<MashDB>,
  args: { status?: string | null; takingPart?: boolean | null; first?: number | null },
  agency?: string,
): Promise<EnquiryView[]> {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) {
    throw badUserInput(`first must be between 1 and 500; got ${first}.`, "first");
  }
  let query = store.db
    .selectFrom("enquiries as e")
    .selectAll("e")
    .orderBy("e.opened_at", "desc")
    .orderBy("e.id")
    .limit(first);
  if (args.status) query = query.where("e.status", "=", args.status);
  if (typeof args.takingPart === "boolean") {
    const mine = agency?.trim() ?? "";
    query = query.where((eb) => {
      // `lead is not null` keeps the negation two-valued: NOT (NULL = x) would drop the row.
      const takesPart = eb.or([
        eb.and([eb("e.lead", "is not", null), eb("e.lead", "=", mine)]),
        eb.exists(
          eb
            .selectFrom("research_requests as r")
            .whereRef("r.enquiry_id", "=", "e.id")
            .where("r.agency", "=", mine)
            .where("r.released_at", "is", null)
            .select("r.agency"),
        ),
      ]);
      return args.takingPart ? takesPart : eb.not(takesPart);
    });
  }
  return (await query.execute()).map(toEnquiry);
}
