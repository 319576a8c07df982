import { insertBatches, type SeedInput, toFlag } from "@mash/kit";
import { dueBy } from "./enquiries.ts";
import { subjectKeys } from "./search/keys.ts";
import { loadSettings, type MashSettings } from "./settings.ts";
import { askedRequest, type MashDB } from "./store.ts";

/** The hub's part of the population: every person, their search keys, and the enquiries. */
export async function seed(input: SeedInput<MashDB, MashSettings>): Promise<void> {
  const { db, population, progress } = input;
  // Due times follow the hub's timescales as its entry point read them; the defaults otherwise.
  const settings = input.settings ?? loadSettings({});
  const subjects: MashDB["subjects"][] = [];
  const keys: MashDB["search_keys"][] = [];
  for (const p of population.persons) {
    subjects.push({
      id: p.id,
      given_name: p.given,
      family_name: p.family,
      date_of_birth: p.dateOfBirth,
      nhs_number: p.nhsNumber,
      address_line1: p.address.line1,
      postcode: p.address.postcode,
      sealed: toFlag(p.sealed),
      household_id: p.householdId,
    });
    for (const k of subjectKeys({
      given: p.given,
      family: p.family,
      dateOfBirth: p.dateOfBirth,
      postcode: p.address.postcode,
    })) {
      keys.push({ key: k.key, subject_id: p.id, weight: k.weight });
    }
  }
  const enquiries: MashDB["enquiries"][] = population.enquiries.map((e) => ({
    id: e.id,
    number: e.number,
    status: e.status,
    rag: e.rag,
    opened_at: e.openedAt,
    due_by: dueBy(new Date(e.openedAt), e.rag, settings),
    reason: e.reason,
    outcome: e.outcome,
    closed_at: e.closedAt,
    close_reason: e.closeReason,
    lead: e.lead,
    opened_by: "seed",
    without_contact: 1,
    decided_by: e.status === "CLOSED" ? "seed" : null,
    feedback_at: null,
    feedback_how: null,
    feedback_by: null,
  }));
  const ragHistory: MashDB["rag_changes"][] = population.enquiries.map((e) => ({
    enquiry_id: e.id,
    seq: 1,
    rag: e.rag,
    previous: null,
    reason: e.reason,
    changed_by: "seed",
    changed_at: e.openedAt,
  }));
  const links = population.enquiries.flatMap((e) =>
    e.subjects.map((subject_id) => ({ enquiry_id: e.id, subject_id })),
  );
  // The fixtures say who was asked, not when or by whom: asked when the enquiry opened, by the seed.
  const research = population.enquiries.flatMap((e) =>
    e.asked.map((agency) =>
      askedRequest(e.id, agency, e.openedAt, "seed", dueBy(new Date(e.openedAt), e.rag, settings)),
    ),
  );

  await insertBatches(db, "subjects", subjects, (d) => progress("subjects", d, subjects.length));
  await insertBatches(db, "search_keys", keys, (d) => progress("search keys", d, keys.length));
  await insertBatches(db, "enquiries", enquiries, (d) =>
    progress("enquiries", d, enquiries.length),
  );
  await insertBatches(db, "enquiry_subjects", links, (d) =>
    progress("enquiry links", d, links.length),
  );
  await insertBatches(db, "rag_changes", ragHistory, (d) =>
    progress("RAG ratings", d, ragHistory.length),
  );
  await insertBatches(db, "research_requests", research, (d) =>
    progress("research requests", d, research.length),
  );
}
