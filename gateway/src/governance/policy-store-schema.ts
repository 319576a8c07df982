import type { Kysely, Migration } from "kysely";
import { sql } from "kysely";

/** The policy store's tables, migrations and row mapping. */

export const POLICY_STATUSES = [
  "DRAFT",
  "PROPOSED",
  "APPROVED",
  "REJECTED",
  "PUBLISHED",
  "SUPERSEDED",
  /** A draft its author threw away: kept for the record, left out of the list. */
  "DISCARDED",
] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/** One stored version of one agency's policy file, with who moved it through the lifecycle. */
export interface PolicyVersion {
  id: string;
  agency: string;
  /** 1, 2, 3 ... per agency. */
  number: number;
  status: PolicyStatus;
  text: string;
  note: string | null;
  reason: string | null;
  author: string;
  createdAt: string;
  proposedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  reviewComment: string | null;
  rejectedBy: string | null;
  rejectedAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  /** For rollbacks: the version whose text this one restored. */
  restoredFrom: string | null;
  discardedAt: string | null;
  /**
   * A hash of the agency's text in force when a second officer approved this version: their
   * approval covers what the version changes against that text, and no other.
   */
  approvedAgainst: string | null;
  /** Why it was published at once as an emergency narrowing; null for any other version. */
  emergencyReason: string | null;
  /** The other officer who reviewed the emergency narrowing (until then it stays flagged). */
  emergencyReviewedBy: string | null;
  emergencyReviewedAt: string | null;
  emergencyReviewComment: string | null;
}

export interface VersionRow {
  id: string;
  agency: string;
  number: number;
  status: string;
  text: string;
  note: string | null;
  reason: string | null;
  author: string;
  created_at: string;
  proposed_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  review_comment: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  published_by: string | null;
  published_at: string | null;
  restored_from: string | null;
  discarded_at: string | null;
  approved_against: string | null;
  emergency_reason: string | null;
  emergency_reviewed_by: string | null;
  emergency_reviewed_at: string | null;
  emergency_review_comment: string | null;
}

/** Columns added by 0003, every one nullable text. */
const LIFECYCLE_COLUMNS = [
  "discarded_at",
  "approved_against",
  "emergency_reason",
  "emergency_reviewed_by",
  "emergency_reviewed_at",
  "emergency_review_comment",
] as const;

export interface PolicyTables {
  policy_versions: VersionRow;
  /** One row per publish (or rollback): its highest seq is the change marker gateways poll. */
  policy_publications: { seq: number; agency: string; version_id: string; at: string };
  /**
   * One row, bumped by every gateway that answers a mutation (an enquiry closed, an agency
   * released): its seq is the marker that tells every other gateway to forget cached purposes.
   */
  purpose_changes: { id: string; seq: number };
}

export const migrations: Record<string, Migration> = {
  "0001_policy_versions": {
    async up(db: Kysely<unknown>) {
      let table = db.schema
        .createTable("policy_versions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("author", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull());
      for (const name of [
        "note",
        "reason",
        "proposed_at",
        "approved_by",
        "approved_at",
        "review_comment",
        "rejected_by",
        "rejected_at",
        "published_by",
        "published_at",
        "restored_from",
      ])
        table = table.addColumn(name, "text");
      await table
        .addUniqueConstraint("policy_versions_agency_number", ["agency", "number"])
        .execute();
      // At most one version of an agency in force, even when two officers publish at once.
      await sql`create unique index policy_versions_one_published on policy_versions (agency) where status = 'PUBLISHED'`.execute(
        db,
      );
      await db.schema
        .createTable("policy_publications")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("version_id", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0002_purpose_changes": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("purpose_changes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("seq", "integer", (c) => c.notNull())
        .execute();
    },
  },
  "0003_two_person_lifecycle": {
    async up(db: Kysely<unknown>) {
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      for (const name of LIFECYCLE_COLUMNS)
        await db.schema.alterTable("policy_versions").addColumn(name, "text").execute();
      // The inbox asks for an agency's pending versions on every sign-in.
      await db.schema
        .createIndex("policy_versions_agency_status")
        .on("policy_versions")
        .columns(["agency", "status"])
        .execute();
    },
  },
};

export const fromRow = (r: VersionRow): PolicyVersion => ({
  id: r.id,
  agency: r.agency,
  number: Number(r.number),
  status: r.status as PolicyStatus,
  text: r.text,
  note: r.note,
  reason: r.reason,
  author: r.author,
  createdAt: r.created_at,
  proposedAt: r.proposed_at,
  approvedBy: r.approved_by,
  approvedAt: r.approved_at,
  reviewComment: r.review_comment,
  rejectedBy: r.rejected_by,
  rejectedAt: r.rejected_at,
  publishedBy: r.published_by,
  publishedAt: r.published_at,
  restoredFrom: r.restored_from,
  discardedAt: r.discarded_at ?? null,
  approvedAgainst: r.approved_against ?? null,
  emergencyReason: r.emergency_reason ?? null,
  emergencyReviewedBy: r.emergency_reviewed_by ?? null,
  emergencyReviewedAt: r.emergency_reviewed_at ?? null,
  emergencyReviewComment: r.emergency_review_comment ?? null,
});

export const columnOf: Record<keyof PolicyVersion, keyof VersionRow> = {
  id: "id",
  agency: "agency",
  number: "number",
  status: "status",
  text: "text",
  note: "note",
  reason: "reason",
  author: "author",
  createdAt: "created_at",
  proposedAt: "proposed_at",
  approvedBy: "approved_by",
  approvedAt: "approved_at",
  reviewComment: "review_comment",
  rejectedBy: "rejected_by",
  rejectedAt: "rejected_at",
  publishedBy: "published_by",
  publishedAt: "published_at",
  restoredFrom: "restored_from",
  discardedAt: "discarded_at",
  approvedAgainst: "approved_against",
  emergencyReason: "emergency_reason",
  emergencyReviewedBy: "emergency_reviewed_by",
  emergencyReviewedAt: "emergency_reviewed_at",
  emergencyReviewComment: "emergency_review_comment",
};
