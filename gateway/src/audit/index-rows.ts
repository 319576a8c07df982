import type { AuditRecord } from "./record.ts";

/** One row per (record, agency whose data it touched): an officer's search starts here. */
export interface AgencyIndexRow {
  seq: number;
  agency: string;
}

/**
 * One row per (record, person whose data it returned). Narrowing to one agency's data about the
 * person is done on the record itself, which keeps a 50-person answer at ~57 index rows rather
 * than one per agency and person.
 */
export interface SubjectIndexRow {
  seq: number;
  subject_id: string;
}

export interface NotificationRow {
  /** `${seq}:${agency}`: one notification per request and owning agency. */
  id: string;
  seq: number;
  agency: string;
  body: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
}

export type NotificationKind = "BREAK_GLASS" | "FLAGGED_SUBJECT";

/** What an owning agency is told: who looked, at whom, at which of its fields, and why. */
export interface NotificationBody {
  at: string;
  kinds: NotificationKind[];
  requestId: string;
  userId: string;
  userAgency: string | null;
  roles: string[];
  enquiryId: string | null;
  reason: string | null;
  subjects: string[];
  fields: string[];
}

/** The agencies whose data the request touched (released, or withheld by their rules). */
function agenciesTouched(record: AuditRecord): Map<string, true> {
  const touched = new Map<string, true>();
  for (const { agency } of record.seen ?? []) touched.set(agency, true);
  for (const { agency } of record.released) touched.set(agency, true);
  for (const { agency } of record.withheld) if (agency) touched.set(agency, true);
  if (record.governance) touched.set(record.governance.agency, true);
  return touched;
}

export function agencyRows(record: AuditRecord): AgencyIndexRow[] {
  return [...agenciesTouched(record)].map(([agency]) => ({ seq: record.seq, agency }));
}

export function subjectRows(record: AuditRecord): SubjectIndexRow[] {
  const subjects = new Set((record.seen ?? []).flatMap((s) => s.subjects));
  return [...subjects].map((subject_id) => ({ seq: record.seq, subject_id }));
}

/**
 * Break glass and flagged people: each agency whose data was returned is told, once per request.
 * A break-glass request tells about every person whose data it returned; otherwise only about
 * the flagged ones.
 */
export function notificationRows(record: AuditRecord): NotificationRow[] {
  const flagged = new Set(record.flagged ?? []);
  const rows: NotificationRow[] = [];
  // Only agencies that released something about a person are told of it (`held`); records
  // written before `held` existed notify as they did, from `seen`.
  for (const { agency, subjects } of record.held ?? record.seen ?? []) {
    if (subjects.length === 0) continue;
    const kinds: NotificationKind[] = [];
    if (record.breakGlassReason) kinds.push("BREAK_GLASS");
    const flaggedHere = subjects.filter((s) => flagged.has(s));
    if (flaggedHere.length > 0) kinds.push("FLAGGED_SUBJECT");
    if (kinds.length === 0) continue;
    const body: NotificationBody = {
      at: record.at,
      kinds,
      requestId: record.requestId,
      userId: record.userId,
      userAgency: record.agency,
      roles: record.roles,
      enquiryId: record.enquiryId,
      reason: record.breakGlassReason,
      subjects: record.breakGlassReason ? subjects : flaggedHere,
      fields: record.released.filter((r) => r.agency === agency).map((r) => r.field),
    };
    rows.push({
      id: `${record.seq}:${agency}`,
      seq: record.seq,
      agency,
      body: JSON.stringify(body),
      acknowledged_by: null,
      acknowledged_at: null,
    });
  }
  return rows;
}
