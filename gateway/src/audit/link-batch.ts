import { type AuditEntry, type AuditRecord, canonicalJson, chainHashOf } from "./record.ts";

/** A row of audit_log: the canonical record, its link and its hash, and the search columns. */
export interface LogRow {
  seq: number;
  body: string;
  prev_hash: string;
  hash: string;
  // Copied from the body for governance queries; the chain covers the body, not these.
  at: string | null;
  user_id: string | null;
  enquiry_id: string | null;
  break_glass: number | null;
  /** 1 for a governance officer's own console traffic, 0 for practitioners' requests. */
  governance: number | null;
}

/** The head of the chain: the last record's number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The search columns a record's body implies. */
export const columnsOf = (record: AuditEntry) => ({
  at: record.at,
  user_id: record.userId,
  enquiry_id: record.enquiryId,
  break_glass: record.breakGlassReason ? 1 : 0,
  governance: record.governance ? 1 : 0,
});

/**
 * Numbers a batch of entries after `previous` and links each to the one before. The canonical
 * JSON is written once per record and serves as both the stored body and the hashed text, so
 * what is hashed is what is stored, by construction.
 */
export function linkBatch(
  entries: readonly AuditEntry[],
  previous: ChainHead,
): { records: AuditRecord[]; rows: LogRow[]; last: ChainHead } {
  const records: AuditRecord[] = [];
  const rows: LogRow[] = [];
  let head = previous;
  for (const entry of entries) {
    const record: AuditRecord = { ...entry, seq: head.seq + 1 };
    const body = canonicalJson(record);
    const hash = chainHashOf(body, head.hash);
    rows.push({ seq: record.seq, body, prev_hash: head.hash, hash, ...columnsOf(record) });
    records.push(record);
    head = { seq: record.seq, hash };
  }
  return { records, rows, last: head };
}
