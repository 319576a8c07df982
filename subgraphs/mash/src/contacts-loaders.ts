import { batchLoader, groupBy, type Store, toDateTime } from "@mash/kit";
import { type Expression, sql } from "kysely";
import { type ContactView, toContact } from "./contacts.ts";
import { yearBefore } from "./contacts-input.ts";
import { type MashDB, type SubjectView, toSubject } from "./store.ts";

/** One person a contact concerns, and how many contacts about them came in over the year to it. */
export interface RepeatCountView {
  subjectId: string;
  contactsInLast12Months: number;
}

/**
 * `yearBefore` in SQL, on a column holding the store's text date and time: the same text both
 * SQLite and PostgreSQL compute (`integer || text` is text in each).
 */
function yearBeforeSql(column: Expression<string>) {
  return sql<string>`(cast(substr(${column}, 1, 4) as integer) - 1) || substr(${column}, 5)`;
}

/**
 * Per-request loaders for contacts: N contacts, or N people's contacts, cost one query each.
 * `now` is when "the last 12 months" ends for Subject.recentContacts.
 */
export function contactLoaders(store: Store<MashDB>, now: () => Date = () => new Date()) {
  const { db } = store;
  return {
    contact: batchLoader<ContactView | null>(
      async (ids) => {
        const rows = await db.selectFrom("contacts").where("id", "in", ids).selectAll().execute();
        return new Map(rows.map((r) => [r.id, toContact(r)]));
      },
      () => null,
    ),

    /** The people each contact concerns, in id order. */
    contactSubjects: batchLoader<SubjectView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("contact_subjects as l")
          .innerJoin("subjects as s", "s.id", "l.subject_id")
          .where("l.contact_id", "in", ids)
          .selectAll("s")
          .select("l.contact_id")
          .orderBy("s.id")
          .execute();
        const grouped = groupBy(rows, (r) => r.contact_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toSubject)]));
      },
      () => [],
    ),

    /**
     * For each person each contact concerns: the contacts about them received in the year up to
     * and including that contact's receivedAt, the contact itself included; one a year or more
     * earlier is not counted, nor one received later. Each count is a range of the
     * (subject_id, received_at) index.
     */
    contactRepeats: batchLoader<RepeatCountView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("contact_subjects as c")
          .innerJoin("contact_subjects as other", (join) =>
            join
              .onRef("other.subject_id", "=", "c.subject_id")
              .onRef("other.received_at", "<=", "c.received_at")
              .on("other.received_at", ">", yearBeforeSql(sql.ref<string>("c.received_at"))),
          )
          .where("c.contact_id", "in", ids)
          .select(["c.contact_id", "c.subject_id"])
          .select((eb) => eb.fn.countAll().as("n"))
          .groupBy(["c.contact_id", "c.subject_id"])
          .orderBy("c.contact_id")
          .orderBy("c.subject_id")
          .execute();
        const grouped = groupBy(rows, (r) => r.contact_id);
        return new Map(
          [...grouped].map(([id, list]) => [
            id,
            list.map((r) => ({ subjectId: r.subject_id, contactsInLast12Months: Number(r.n) })),
          ]),
        );
      },
      () => [],
    ),

    /** Contacts about each person received in the year up to now: one index range each. */
    subjectRecentContacts: batchLoader<number>(
      async (ids) => {
        const until = toDateTime(now());
        const rows = await db
          .selectFrom("contact_subjects")
          .where("subject_id", "in", ids)
          .where("received_at", ">", yearBefore(until))
          .where("received_at", "<=", until)
          .select("subject_id")
          .select((eb) => eb.fn.countAll().as("n"))
          .groupBy("subject_id")
          .execute();
        return new Map(rows.map((r) => [r.subject_id, Number(r.n)]));
      },
      () => 0,
    ),

    /** Contacts about each person, newest first. */
    subjectContacts: batchLoader<ContactView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("contact_subjects as l")
          .innerJoin("contacts as c", "c.id", "l.contact_id")
          .where("l.subject_id", "in", ids)
          .selectAll("c")
          .select("l.subject_id")
          .orderBy("c.received_at", "desc")
          .orderBy("c.number", "desc")
          .execute();
        const grouped = groupBy(rows, (r) => r.subject_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toContact)]));
      },
      () => [],
    ),

    /** The contacts each enquiry was opened from, oldest first. */
    enquiryContacts: batchLoader<ContactView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("contacts")
          .where("enquiry_id", "in", ids)
          .selectAll()
          .orderBy("received_at")
          .orderBy("number")
          .execute();
        const grouped = groupBy(rows, (r) => r.enquiry_id ?? "");
        return new Map([...grouped].map(([id, list]) => [id, list.map(toContact)]));
      },
      () => [],
    ),
  };
}
