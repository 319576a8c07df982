import { badUserInput, type Dialect } from "@mash/kit";
import type { Transaction } from "kysely";
import type { MashDB } from "./store.ts";

type ContactRow = MashDB["contacts"];

/** Contacts one enquiry is opened from: a handful in practice; this bounds one statement. */
export const MAX_ENQUIRY_CONTACTS = 50;

/** The contacts an enquiry is being opened from, checked, with the people they concern. */
export interface ContactsToOpen {
  contacts: ContactRow[];
  /** The people those contacts concern, each once, in the order first met. */
  subjectIds: string[];
}

/** "was screened OUTCOME on <when> by <agency>", for refusals that depend on the screening. */
export function screenedAs(contact: ContactRow): string {
  return `was screened ${contact.screening_outcome} on ${contact.screened_at ?? "a date not recorded"} by ${contact.screened_agency ?? "an agency not recorded"}`;
}

/**
 * Reads and checks the contacts an enquiry is to be opened from: each must exist, be unscreened
 * or screened PROGRESS_TO_ENQUIRY, and be in no enquiry yet. On PostgreSQL the rows stay locked
 * until the transaction ends, so of two openings (or an opening and a screening) from one
 * contact, the second waits, then sees the first's write and is refused. SQLite runs one
 * transaction at a time on the store's one connection.
 */
export async function contactsToOpen(
  trx: Transaction<MashDB>,
  dialect: Dialect,
  ids: readonly string[],
): Promise<ContactsToOpen> {
  if (ids.length === 0) return { contacts: [], subjectIds: [] };
  let query = trx.selectFrom("contacts").where("id", "in", ids).selectAll().orderBy("id");
  if (dialect === "postgres") query = query.forUpdate();
  const rows = await query.execute();
  const field = "input.contactIds";
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) {
    throw badUserInput(
      `Unknown contact ${missing.length > 1 ? "ids" : "id"}: ${missing.join(", ")}.`,
      field,
    );
  }
  const problems = rows.flatMap((r) => {
    if (r.enquiry_id !== null) return [`${r.id} is already in ${r.enquiry_id}`];
    if (r.screening_outcome !== null && r.screening_outcome !== "PROGRESS_TO_ENQUIRY")
      return [`${r.id} ${screenedAs(r)}`];
    return [];
  });
  if (problems.length) {
    throw badUserInput(
      `${problems.join("; ")}: an enquiry is opened from contacts not yet screened, or screened PROGRESS_TO_ENQUIRY, and in no other enquiry.`,
      field,
    );
  }
  const links = await trx
    .selectFrom("contact_subjects")
    .where("contact_id", "in", ids)
    .select("subject_id")
    .orderBy("contact_id")
    .orderBy("subject_id")
    .execute();
  return { contacts: rows, subjectIds: [...new Set(links.map((l) => l.subject_id))] };
}

/**
 * Marks the contacts as taken by the enquiry just opened. One not yet screened is screened
 * PROGRESS_TO_ENQUIRY now, by the opener for the lead agency, with the enquiry's reason:
 * opening from it is that decision.
 */
export async function takeContacts(
  trx: Transaction<MashDB>,
  taken: ContactsToOpen,
  enquiry: { id: string; reason: string; lead: string; openedBy: string; openedAt: string },
): Promise<void> {
  const ids = taken.contacts.map((c) => c.id);
  if (ids.length === 0) return;
  const unscreened = taken.contacts.filter((c) => c.screening_outcome === null).map((c) => c.id);
  if (unscreened.length) {
    await trx
      .updateTable("contacts")
      .set({
        screening_outcome: "PROGRESS_TO_ENQUIRY",
        screening_reason: enquiry.reason,
        screened_agency: enquiry.lead,
        screened_by: enquiry.openedBy,
        screened_at: enquiry.openedAt,
      })
      .where("id", "in", unscreened)
      .execute();
  }
  await trx
    .updateTable("contacts")
    .set({ enquiry_id: enquiry.id })
    .where("id", "in", ids)
    .execute();
}
