import type { Kysely, Migration } from "kysely";

/** Each step of the hub's schema, in order; a step once shipped is never edited. */
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
  "0004_process": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      for (const column of [
        "opened_by",
        "decided_by",
        "feedback_at",
        "feedback_how",
        "feedback_by",
      ]) {
        await db.schema.alterTable("enquiries").addColumn(column, "text").execute();
      }
      await db.schema
        .alterTable("enquiries")
        .addColumn("without_contact", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      // The performance report reads a period by when enquiries opened and when they closed.
      await db.schema.createIndex("enquiries_opened").on("enquiries").column("opened_at").execute();
      await db.schema.createIndex("enquiries_closed").on("enquiries").column("closed_at").execute();
      for (const column of ["due_by", "answered_at", "answered_by", "finding"]) {
        await db.schema.alterTable("research_requests").addColumn(column, "text").execute();
      }
      for (const column of ["nothing_known", "decision_seq"]) {
        await db.schema.alterTable("research_requests").addColumn(column, "integer").execute();
      }
      await db.schema
        .createIndex("research_requests_asked")
        .on("research_requests")
        .column("asked_at")
        .execute();
      await db.schema
        .createTable("contacts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("number", "integer", (c) => c.notNull().unique())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .addColumn("recorded_by", "text", (c) => c.notNull())
        .addColumn("referrer_kind", "text", (c) => c.notNull())
        .addColumn("referrer_agency", "text")
        .addColumn("referrer_name", "text", (c) => c.notNull())
        .addColumn("referrer_role", "text")
        .addColumn("referrer_how", "text")
        .addColumn("concern", "text", (c) => c.notNull())
        .addColumn("consent_sought", "integer", (c) => c.notNull())
        .addColumn("consent_reason", "text", (c) => c.notNull())
        .addColumn("screening_outcome", "text")
        .addColumn("screening_reason", "text")
        .addColumn("screened_agency", "text")
        .addColumn("screened_by", "text")
        .addColumn("screened_at", "text")
        .addColumn("enquiry_id", "text", (c) => c.references("enquiries.id"))
        .execute();
      await db.schema
        .createIndex("contacts_received")
        .on("contacts")
        .column("received_at")
        .execute();
      await db.schema.createIndex("contacts_enquiry").on("contacts").column("enquiry_id").execute();
      // received_at is copied here so a person's repeat count is one index range, not a join.
      await db.schema
        .createTable("contact_subjects")
        .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id"))
        .addColumn("subject_id", "text", (c) => c.notNull().references("subjects.id"))
        .addColumn("received_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("contact_subjects_pk", ["contact_id", "subject_id"])
        .execute();
      await db.schema
        .createIndex("contact_subjects_subject")
        .on("contact_subjects")
        .columns(["subject_id", "received_at"])
        .execute();
      await db.schema
        .createTable("rag_changes")
        .addColumn("enquiry_id", "text", (c) => c.notNull().references("enquiries.id"))
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("rag", "text", (c) => c.notNull())
        .addColumn("previous", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("changed_by", "text", (c) => c.notNull())
        .addColumn("changed_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("rag_changes_pk", ["enquiry_id", "seq"])
        .execute();
      await db.schema
        .createTable("disagreements")
        .addColumn("enquiry_id", "text", (c) => c.notNull().references("enquiries.id"))
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("recorded_by", "text", (c) => c.notNull())
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("disagreements_pk", ["enquiry_id", "seq"])
        .execute();
    },
  },
};
