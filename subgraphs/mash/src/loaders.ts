import { batchLoader, groupBy, type Store } from "@mash/kit";
import { contactLoaders } from "./contacts-loaders.ts";
import { processLoaders } from "./process-loaders.ts";
import { researchLoaders } from "./research-loaders.ts";
import {
  type EnquiryView,
  type MashDB,
  type ResearchRequestView,
  type SharingDecisionView,
  type SubjectView,
  toEnquiry,
  toResearchRequest,
  toSharingDecision,
  toSubject,
} from "./store.ts";

/** Per-request loaders: N subjects, households or enquiries cost one query each, not N. */
export function createLoaders(store: Store<MashDB>) {
  return {
    ...hubLoaders(store),
    ...contactLoaders(store),
    ...processLoaders(store),
    ...researchLoaders(store),
  };
}

function hubLoaders(store: Store<MashDB>) {
  const { db } = store;
  return {
    subject: batchLoader<SubjectView | null>(
      async (ids) => {
        const rows = await db.selectFrom("subjects").where("id", "in", ids).selectAll().execute();
        return new Map(rows.map((r) => [r.id, toSubject(r)]));
      },
      () => null,
    ),

    /**
     * The other members of each subject's household, sealed members left out: listed beside the
     * others, a sealed (adopted) child's identity would be tied to an address anyone in an
     * enquiry about the family may read, which is what sealing withholds. They are left out, not
     * shown as withheld, so the list is the same whether or not a sealed member lives there.
     */
    household: batchLoader<SubjectView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("subjects as member")
          .innerJoin("subjects as self", "self.household_id", "member.household_id")
          .where("self.id", "in", ids)
          .whereRef("member.id", "<>", "self.id")
          .where("member.sealed", "=", 0)
          .selectAll("member")
          .select("self.id as of_subject")
          .orderBy("member.id")
          .execute();
        const grouped = groupBy(rows, (r) => r.of_subject);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toSubject)]));
      },
      () => [],
    ),

    enquiry: batchLoader<EnquiryView | null>(
      async (ids) => {
        const rows = await db.selectFrom("enquiries").where("id", "in", ids).selectAll().execute();
        return new Map(rows.map((r) => [r.id, toEnquiry(r)]));
      },
      () => null,
    ),

    /** Subjects linked to each enquiry, in id order. */
    enquirySubjects: batchLoader<SubjectView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("enquiry_subjects as l")
          .innerJoin("subjects as s", "s.id", "l.subject_id")
          .where("l.enquiry_id", "in", ids)
          .selectAll("s")
          .select("l.enquiry_id")
          .orderBy("s.id")
          .execute();
        const grouped = groupBy(rows, (r) => r.enquiry_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toSubject)]));
      },
      () => [],
    ),

    /** Enquiries linking each subject, newest first. */
    subjectEnquiries: batchLoader<EnquiryView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("enquiry_subjects as l")
          .innerJoin("enquiries as e", "e.id", "l.enquiry_id")
          .where("l.subject_id", "in", ids)
          .selectAll("e")
          .select("l.subject_id")
          .orderBy("e.opened_at", "desc")
          .execute();
        const grouped = groupBy(rows, (r) => r.subject_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toEnquiry)]));
      },
      () => [],
    ),

    /** Every sharing decision recorded for each enquiry, newest first. */
    sharingDecisions: batchLoader<SharingDecisionView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("sharing_decisions")
          .where("enquiry_id", "in", ids)
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("seq", "desc")
          .execute();
        const grouped = groupBy(rows, (r) => r.enquiry_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toSharingDecision)]));
      },
      () => [],
    ),

    /** Each enquiry's research requests, released ones included, in agency order. */
    research: batchLoader<ResearchRequestView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("research_requests")
          .where("enquiry_id", "in", ids)
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("agency")
          .execute();
        const grouped = groupBy(rows, (r) => r.enquiry_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toResearchRequest)]));
      },
      () => [],
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
