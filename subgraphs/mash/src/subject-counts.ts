import { type Store, type SubjectCounts, subjectCountsFrom } from "@mash/kit";
import type { MashDB } from "./store.ts";

/**
 * How many distinct subjects have at least one record of each GraphQL type this subgraph serves,
 * in one statement and without reading a value: what a governance officer weighs before changing
 * a sharing rule on those types. Every subject has a name; an address only when both parts are
 * there (as toSubject maps it); enquiries, sharing decisions and research requests count the
 * subjects they link.
 */
export async function countSubjects(store: Store<MashDB>): Promise<SubjectCounts> {
  const row = await store.db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("subjects")
        .select((s) => s.fn.count("id").distinct().as("n"))
        .as("Subject"),
      eb
        .selectFrom("subjects")
        .select((s) => s.fn.count("id").distinct().as("n"))
        .as("PersonName"),
      eb
        .selectFrom("subjects")
        .where("address_line1", "is not", null)
        .where("address_line1", "<>", "")
        .where("postcode", "is not", null)
        .where("postcode", "<>", "")
        .select((s) => s.fn.count("id").distinct().as("n"))
        .as("Address"),
      eb
        .selectFrom("enquiry_subjects")
        .select((s) => s.fn.count("subject_id").distinct().as("n"))
        .as("Enquiry"),
      eb
        .selectFrom("enquiry_subjects as es")
        .where((w) =>
          w.exists(
            w
              .selectFrom("sharing_decisions as d")
              .whereRef("d.enquiry_id", "=", "es.enquiry_id")
              .select("d.seq"),
          ),
        )
        .select((s) => s.fn.count("es.subject_id").distinct().as("n"))
        .as("SharingDecision"),
      eb
        .selectFrom("enquiry_subjects as es")
        .where((w) =>
          w.exists(
            w
              .selectFrom("research_requests as r")
              .whereRef("r.enquiry_id", "=", "es.enquiry_id")
              .select("r.agency"),
          ),
        )
        .select((s) => s.fn.count("es.subject_id").distinct().as("n"))
        .as("ResearchRequest"),
    ])
    .executeTakeFirstOrThrow();
  return subjectCountsFrom(row);
}
