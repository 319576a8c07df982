import { type InsertObject, type Kysely, type Migration, sql, type Transaction } from "kysely";
import type { AuditTables } from "./audit-tables.ts";
import { agencyRows, notificationRows, subjectRows } from "./index-rows.ts";
import { columnsOf } from "./link-batch.ts";
import type { AuditRecord } from "./record.ts";

/** The access log's schema in order; each step fills its new columns and tables for older records. */
export const auditMigrations: Record<string, Migration> = {
  "0001_audit_log": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_log")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0002_audit_checkpoint": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_checkpoint")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("signature", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0003_governance_index": {
    async up(db: Kysely<unknown>) {
      for (const [name, type] of [
        ["at", "text"],
        ["user_id", "text"],
        ["enquiry_id", "text"],
        ["break_glass", "integer"],
      ] as const)
        await db.schema.alterTable("audit_log").addColumn(name, type).execute();
      await db.schema
        .createTable("audit_access")
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_access_agency")
        .on("audit_access")
        .columns(["agency", "seq"])
        .execute();
      await db.schema
        .createIndex("audit_access_subject")
        .on("audit_access")
        .columns(["agency", "subject_id", "seq"])
        .execute();
      await db.schema
        .createTable("audit_notification")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("acknowledged_by", "text")
        .addColumn("acknowledged_at", "text")
        .execute();
      await db.schema
        .createIndex("audit_notification_agency")
        .on("audit_notification")
        .columns(["agency", "seq"])
        .execute();
      // Records written before this index existed get their rows too.
      const typed = db as unknown as Kysely<AuditTables>;
      const rows = await typed.selectFrom("audit_log").select(["seq", "body"]).execute();
      for (const row of rows) {
        const record = JSON.parse(row.body) as AuditRecord;
        // Only the columns this step adds: columnsOf has grown since (0005's `governance`),
        // and a store migrating from 0002 has no such column yet.
        const { at, user_id, enquiry_id, break_glass } = columnsOf(record);
        await typed
          .updateTable("audit_log")
          .set({ at, user_id, enquiry_id, break_glass })
          .where("seq", "=", row.seq)
          .execute();
        await insertChunked(typed, "audit_notification", notificationRows(record));
      }
    },
  },
  // 0003's per-(agency, person) index cost one row per agency and person: ~350 for a list of 50.
  "0004_agency_and_subject_index": {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable("audit_access").execute();
      await db.schema
        .createTable("audit_agency")
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("agency", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_agency_agency")
        .on("audit_agency")
        .columns(["agency", "seq"])
        .execute();
      await db.schema
        .createTable("audit_subject")
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_subject_subject")
        .on("audit_subject")
        .columns(["subject_id", "seq"])
        .execute();
      const typed = db as unknown as Kysely<AuditTables>;
      const rows = await typed.selectFrom("audit_log").select("body").execute();
      const records = rows.map((r) => JSON.parse(r.body) as AuditRecord);
      await insertChunked(typed, "audit_agency", records.flatMap(agencyRows));
      await insertChunked(typed, "audit_subject", records.flatMap(subjectRows));
    },
  },
  // The access log's default view is practitioners' access to data; officers' own console
  // traffic is one filter away, so it needs a column of its own.
  "0005_governance_traffic": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("audit_log").addColumn("governance", "integer").execute();
      await sql`update audit_log set governance = 0`.execute(db);
      const typed = db as unknown as Kysely<AuditTables>;
      const rows = await typed
        .selectFrom("audit_log")
        .select(["seq", "body"])
        .where("body", "like", '%"governance":{%')
        .execute();
      for (const row of rows) {
        const record = JSON.parse(row.body) as AuditRecord;
        if (record.governance)
          await typed
            .updateTable("audit_log")
            .set({ governance: 1 })
            .where("seq", "=", row.seq)
            .execute();
      }
      await db.schema
        .createIndex("audit_log_governance")
        .on("audit_log")
        .columns(["governance", "seq"])
        .execute();
    },
  },
};

// Well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535 per statement.
const CHUNK = 500;

async function insertChunked<T extends keyof AuditTables>(
  db: Kysely<AuditTables> | Transaction<AuditTables>,
  table: T,
  rows: AuditTables[T][],
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // A generic table's row type is the insert type; Kysely cannot see that through T.
    const chunk = rows.slice(i, i + CHUNK) as unknown as InsertObject<AuditTables, T>[];
    await db.insertInto(table).values(chunk).execute();
  }
}
