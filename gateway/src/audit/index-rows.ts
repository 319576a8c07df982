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
export function agenciesTouched(record: AuditRecord): Map<string, true> {
  const touched = new Map<string, true>();
  let last = touchAll(touched, record.seen ?? [], false, NONE_YET);
  last = touchAll(touched, record.released, false, last);
  touchAll(touched, record.withheld, true, last);
  if (record.governance) touched.set(record.governance.agency, true);
  return touched;
}

/** No agency added yet (an agency may be any value, undefined too). */
const NONE_YET = Symbol("none yet");

/**
 * Adds each item's agency (a withheld field's only if it has one): index loops, and the agency
 * just added skips the map, as the fields of one owner mostly come together.
 */
function touchAll(
  touched: Map<string, true>,
  items: readonly { agency?: string }[],
  ownedOnly: boolean,
  last: string | typeof NONE_YET,
): string | typeof NONE_YET {
  let previous = last;
  for (let i = 0; i < items.length; i++) {
    const agency = (items[i] as { agency?: string }).agency as string;
    if ((ownedOnly && !agency) || agency === previous) continue;
    touched.set(agency, true);
    previous = agency;
  }
  return previous;
}

export function agencyRows(record: AuditRecord): AgencyIndexRow[] {
  return [...agenciesTouched(record)].map(([agency]) => ({ seq: record.seq, agency }));
}

export function subjectRows(record: AuditRecord): SubjectIndexRow[] {
  return subjectsSeen(record).map((subject_id) => ({ seq: record.seq, subject_id }));
}

/**
 * The distinct subjects of `seen`, in the order they first appear there: subjectRows' ids.
 * Loops rather than a flatMap, which copies every agency's list first (50 people seen by seven
 * agencies cost the event loop some 40 µs that way).
 */
export function subjectsSeen(record: AuditRecord): string[] {
  const seen = record.seen;
  if (!seen || seen.length === 0) return [];
  const subjects = new Set((seen[0] as { subjects: string[] }).subjects);
  for (let i = 1; i < seen.length; i++)
    for (const subject of (seen[i] as { subjects: string[] }).subjects) subjects.add(subject);
  return [...subjects];
}

/**
 * Break glass and flagged people: each agency whose data was returned is told, once per request.
 * A break-glass request tells about every person whose data it returned; otherwise only about
 * the flagged ones.
 */
export function notificationRows(record: AuditRecord): NotificationRow[] {
  const flagged = new Set(record.flagged ?? []);
  const rows: NotificationRow[] = [];
  // Neither break glass nor anyone flagged: no agency is told anything.
  if (!record.breakGlassReason && flagged.size === 0) return rows;
  // Only agencies that released something about a person are told of it (`held`); records
  // written before `held` existed notify as they did, from `seen`.
  for (const { agency, subjects } of record.held ?? record.seen ?? []) {
    // Records written before `held` told every agency in `seen`, with or without a person.
    if (subjects.length === 0 && record.held) continue;
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
