import type { AuditRecord } from "./record.ts";

/** One row per (record, owning agency, subject): how an officer finds accesses to their data. */
export interface AccessIndexRow {
  seq: number;
  agency: string;
  /** "" when the agency's data was released or withheld without a person to hang it on. */
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
function agenciesTouched(record: AuditRecord): Map<string, Set<string>> {
  const touched = new Map<string, Set<string>>();
  const add = (agency: string) => {
    let set = touched.get(agency);
    if (!set) {
      set = new Set();
      touched.set(agency, set);
    }
    return set;
  };
  for (const { agency, subjects } of record.seen ?? [])
    for (const s of subjects.length ? subjects : [""]) add(agency).add(s);
  for (const { agency } of record.released) add(agency);
  for (const { agency } of record.withheld) if (agency) add(agency);
  if (record.governance) add(record.governance.agency);
  return touched;
}

export function indexRows(record: AuditRecord): AccessIndexRow[] {
  const rows: AccessIndexRow[] = [];
  for (const [agency, subjects] of agenciesTouched(record)) {
    if (subjects.size === 0) rows.push({ seq: record.seq, agency, subject_id: "" });
    for (const subject_id of subjects) rows.push({ seq: record.seq, agency, subject_id });
  }
  return rows;
}

/**
 * Break glass and flagged people: each agency whose data was returned is told, once per request.
 * A break-glass request tells about every person whose data it returned; otherwise only about
 * the flagged ones.
 */
export function notificationRows(record: AuditRecord): NotificationRow[] {
  const flagged = new Set(record.flagged ?? []);
  const rows: NotificationRow[] = [];
  for (const { agency, subjects } of record.seen ?? []) {
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
