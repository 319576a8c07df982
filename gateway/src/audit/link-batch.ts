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
 * Numbers a batch of entries after `previous` and writes each record's canonical JSON once: it
 * is both the stored body and the hashed text, so what is hashed is what is stored, by
 * construction. The hashes are linkBatch's (or, on SQLite, the writing thread's) to add.
 */
export function numberBatch(
  entries: readonly AuditEntry[],
  previousSeq: number,
): { records: AuditRecord[]; bodies: string[] } {
  const records: AuditRecord[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const record = numbered(entries[i] as AuditEntry, previousSeq + i + 1);
    records.push(record);
    bodies.push(canonicalJson(record));
  }
  return { records, bodies };
}

/**
 * The entry with its number: `{ ...entry, seq }`, but with `seq` in its sorted place when the
 * entry's keys are in order (auditEntry makes them so), which leaves canonicalJson nothing to
 * sort or copy.
 */
function numbered(entry: AuditEntry, seq: number): AuditRecord {
  const record: Record<string, unknown> = {};
  let placed = false;
  let previous = "";
  for (const key in entry) {
    if (key <= previous || key === "seq" || !Object.hasOwn(entry, key)) return { ...entry, seq };
    previous = key;
    if (!placed && key > "seq") {
      record.seq = seq;
      placed = true;
    }
    record[key] = (entry as unknown as Record<string, unknown>)[key];
  }
  if (!placed) record.seq = seq;
  return record as unknown as AuditRecord;
}

/** Numbers a batch of entries after `previous` and links each to the one before. */
export function linkBatch(
  entries: readonly AuditEntry[],
  previous: ChainHead,
): { records: AuditRecord[]; rows: LogRow[]; last: ChainHead } {
  const { records, bodies } = numberBatch(entries, previous.seq);
  const rows: LogRow[] = [];
  let head = previous;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as AuditRecord;
    const body = bodies[i] as string;
    const hash = chainHashOf(body, head.hash);
    rows.push({ seq: record.seq, body, prev_hash: head.hash, hash, ...columnsOf(record) });
    head = { seq: record.seq, hash };
  }
  return { records, rows, last: head };
}
