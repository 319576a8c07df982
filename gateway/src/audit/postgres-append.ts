import { type Kysely, sql } from "kysely";
import { agencyRows, notificationRows, subjectRows } from "./index-rows.ts";
import { type ChainHead, linkBatch } from "./link-batch.ts";
import type { AuditEntry, AuditRecord } from "./record.ts";

/** Column arrays of some rows, in the order of `columns`, for unnest(). */
function columnsIn<R>(rows: readonly R[], columns: readonly (keyof R)[]): unknown[][] {
  return columns.map((column) => rows.map((row) => row[column]));
}

/**
 * The access log's write path on PostgreSQL: the batch's records, search columns, index rows and
 * notifications in one statement (data-modifying WITH clauses), so one round trip and one
 * implicit transaction per batch; Kysely's builder wrote a statement per table and per 500 rows
 * inside BEGIN ... COMMIT (0.5-0.8 of its time, measured). The records go in as VALUES (a batch
 * is at most 256, 9 parameters each); the index rows, which can be thousands, as one array per
 * column through unnest(), under any parameter limit (and faster than VALUES for the bodies).
 * A record whose number another writer took fails the whole statement on the primary key
 * (23505), as before, and the store re-reads the head and tries again.
 */
export async function appendOnPostgres<DB>(
  // Any store's Kysely: the statement is written by hand, not typed by its tables.
  db: Kysely<DB>,
  entries: readonly AuditEntry[],
  head: ChainHead,
): Promise<{ records: AuditRecord[]; last: ChainHead }> {
  const { records, rows, last } = linkBatch(entries, head);
  const [agencySeq, agency] = columnsIn(records.flatMap(agencyRows), ["seq", "agency"]);
  const [subjectSeq, subject] = columnsIn(records.flatMap(subjectRows), ["seq", "subject_id"]);
  const [noteId, noteSeq, noteAgency, noteBody, ackBy, ackAt] = columnsIn(
    records.flatMap(notificationRows),
    ["id", "seq", "agency", "body", "acknowledged_by", "acknowledged_at"],
  );
  await sql`
    with log as (
      insert into audit_log
        (seq, body, prev_hash, hash, at, user_id, enquiry_id, break_glass, governance)
      values ${sql.join(
        rows.map(
          (r) =>
            sql`(${r.seq}, ${r.body}, ${r.prev_hash}, ${r.hash}, ${r.at}, ${r.user_id}, ${r.enquiry_id}, ${r.break_glass}, ${r.governance})`,
        ),
      )}
    ), agency as (
      insert into audit_agency (seq, agency)
      select * from unnest(${agencySeq}::integer[], ${agency}::text[])
    ), subject as (
      insert into audit_subject (seq, subject_id)
      select * from unnest(${subjectSeq}::integer[], ${subject}::text[])
    )
    insert into audit_notification (id, seq, agency, body, acknowledged_by, acknowledged_at)
    select * from unnest(${noteId}::text[], ${noteSeq}::integer[], ${noteAgency}::text[],
      ${noteBody}::text[], ${ackBy}::text[], ${ackAt}::text[])
  `.execute(db);
  return { records, last };
}
