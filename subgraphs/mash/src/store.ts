import { fromFlag, type Store, type SubjectCounts, subjectCountsFrom } from "@mash/kit";
import type { Kysely, Migration } from "kysely";

export interface MashDB {
  subjects: {
    id: string;
    given_name: string;
    family_name: string;
    date_of_birth: string | null;
    nhs_number: string | null;
    address_line1: string | null;
    postcode: string | null;
    sealed: number;
    household_id: string | null;
  };
  /** Name, date and postcode keys that let search find candidates by index, not by scan. */
  search_keys: { key: string; subject_id: string; weight: number };
  enquiries: {
    id: string;
    number: number;
    status: string;
    rag: string;
    opened_at: string;
    due_by: string;
    reason: string;
    outcome: string | null;
    closed_at: string | null;
    close_reason: string | null;
    /** The agency whose front door leads the enquiry; null on rows written before it was kept. */
    lead: string | null;
  };
  enquiry_subjects: { enquiry_id: string; subject_id: string };
  /**
   * Every sharing decision ever recorded, never updated or deleted. `seq` numbers an enquiry's
   * decisions in the order they were recorded; an agency's current decision is its highest.
   */
  sharing_decisions: {
    enquiry_id: string;
    seq: number;
    agency: string;
    decision: string;
    reason: string;
    recorded_by: string;
    recorded_at: string;
  };
  /**
   * Each agency ragged in to research an enquiry: one row per (enquiry, agency). Releasing sets
   * the released_* columns; asking a released agency again clears them and restarts asked_*.
   */
  research_requests: {
    enquiry_id: string;
    agency: string;
    asked_at: string;
    asked_by: string;
    released_at: string | null;
    released_by: string | null;
    release_reason: string | null;
  };
}

export const tables = [
  "research_requests",
  "sharing_decisions",
  "enquiry_subjects",
  "enquiries",
  "search_keys",
  "subjects",
] as const;

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("subjects")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("given_name", "text", (c) => c.notNull())
        .addColumn("family_name", "text", (c) => c.notNull())
        .addColumn("date_of_birth", "text")
        .addColumn("nhs_number", "text")
        .addColumn("address_line1", "text")
        .addColumn("postcode", "text")
        .addColumn("sealed", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("household_id", "text")
        .execute();
      await db.schema.createIndex("subjects_nhs").on("subjects").column("nhs_number").execute();
      await db.schema
        .createIndex("subjects_household")
        .on("subjects")
        .column("household_id")
        .execute();
      await db.schema
        .createTable("search_keys")
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull().references("subjects.id"))
        .addColumn("weight", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("search_keys_pk", ["key", "subject_id"])
        .execute();
      await db.schema
        .createIndex("search_keys_subject")
        .on("search_keys")
        .column("subject_id")
        .execute();
      await db.schema
        .createTable("enquiries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("number", "integer", (c) => c.notNull().unique())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("rag", "text", (c) => c.notNull())
        .addColumn("opened_at", "text", (c) => c.notNull())
        .addColumn("due_by", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("outcome", "text")
        .addColumn("closed_at", "text")
        .addColumn("close_reason", "text")
        .execute();
      await db.schema
        .createIndex("enquiries_status")
        .on("enquiries")
        .columns(["status", "opened_at"])
        .execute();
      await db.schema
        .createTable("enquiry_subjects")
        .addColumn("enquiry_id", "text", (c) => c.notNull().references("enquiries.id"))
        .addColumn("subject_id", "text", (c) => c.notNull().references("subjects.id"))
        .addPrimaryKeyConstraint("enquiry_subjects_pk", ["enquiry_id", "subject_id"])
        .execute();
      await db.schema
        .createIndex("enquiry_subjects_subject")
        .on("enquiry_subjects")
        .column("subject_id")
        .execute();
    },
  },
  "0002_sharing_decisions": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("sharing_decisions")
        .addColumn("enquiry_id", "text", (c) => c.notNull().references("enquiries.id"))
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("recorded_by", "text", (c) => c.notNull())
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("sharing_decisions_pk", ["enquiry_id", "seq"])
        .execute();
    },
  },
  "0003_research_requests": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      // Nullable: enquiries opened before the lead was kept have none, and none can be made up.
      await db.schema.alterTable("enquiries").addColumn("lead", "text").execute();
      // The primary key leads with enquiry_id, so it also serves the loader's `enquiry_id in (...)`.
      await db.schema
        .createTable("research_requests")
        .addColumn("enquiry_id", "text", (c) => c.notNull().references("enquiries.id"))
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("asked_at", "text", (c) => c.notNull())
        .addColumn("asked_by", "text", (c) => c.notNull())
        .addColumn("released_at", "text")
        .addColumn("released_by", "text")
        .addColumn("release_reason", "text")
        .addPrimaryKeyConstraint("research_requests_pk", ["enquiry_id", "agency"])
        .execute();
    },
  },
};

export type SubjectRow = MashDB["subjects"];
export type EnquiryRow = MashDB["enquiries"];

export interface SubjectView {
  id: string;
  name: { given: string; family: string };
  dateOfBirth: string | null;
  nhsNumber: string | null;
  address: { line1: string; postcode: string } | null;
  sealed: boolean;
  householdId: string | null;
}

export function toSubject(row: SubjectRow): SubjectView {
  return {
    id: row.id,
    name: { given: row.given_name, family: row.family_name },
    dateOfBirth: row.date_of_birth,
    nhsNumber: row.nhs_number,
    address:
      row.address_line1 && row.postcode
        ? { line1: row.address_line1, postcode: row.postcode }
        : null,
    sealed: fromFlag(row.sealed) ?? false,
    householdId: row.household_id,
  };
}

export interface EnquiryView {
  id: string;
  status: string;
  rag: string;
  openedAt: string;
  dueBy: string;
  reason: string;
  outcome: string | null;
  closedAt: string | null;
  closeReason: string | null;
  lead: string | null;
}

export function toEnquiry(row: EnquiryRow): EnquiryView {
  return {
    id: row.id,
    status: row.status,
    rag: row.rag,
    openedAt: row.opened_at,
    dueBy: row.due_by,
    reason: row.reason,
    outcome: row.outcome,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
    lead: row.lead,
  };
}

export type SharingDecisionRow = MashDB["sharing_decisions"];

export interface SharingDecisionView {
  enquiryId: string;
  agency: string;
  decision: string;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

export function toSharingDecision(row: SharingDecisionRow): SharingDecisionView {
  return {
    enquiryId: row.enquiry_id,
    agency: row.agency,
    decision: row.decision,
    reason: row.reason,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

export type ResearchRequestRow = MashDB["research_requests"];

export interface ResearchRequestView {
  enquiryId: string;
  agency: string;
  askedAt: string;
  askedBy: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

/** A research request as it is first written (or written again): asked, and not released. */
export function askedRequest(
  enquiryId: string,
  agency: string,
  askedAt: string,
  askedBy: string,
): ResearchRequestRow {
  return {
    enquiry_id: enquiryId,
    agency,
    asked_at: askedAt,
    asked_by: askedBy,
    released_at: null,
    released_by: null,
    release_reason: null,
  };
}

export function toResearchRequest(row: ResearchRequestRow): ResearchRequestView {
  return {
    enquiryId: row.enquiry_id,
    agency: row.agency,
    askedAt: row.asked_at,
    askedBy: row.asked_by,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
    releaseReason: row.release_reason,
  };
}

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
