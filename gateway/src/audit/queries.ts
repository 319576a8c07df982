import type { Kysely } from "kysely";
import type { NotificationBody } from "./index-rows.ts";
import type { AuditRecord } from "./record.ts";
import type { AuditTables } from "./store.ts";

export interface AccessLogFilter {
  subjectId?: string | null;
  userId?: string | null;
  enquiryId?: string | null;
  from?: string | null;
  to?: string | null;
  breakGlass?: boolean | null;
  /** Practitioners' requests (the default), officers' own governance traffic, or both. */
  traffic?: "PRACTITIONERS" | "GOVERNANCE" | "ALL" | null;
}

/** A record as one agency's officer sees it: only that agency's fields and subjects. */
export interface AccessEntryView {
  seq: number;
  at: string;
  requestId: string;
  userId: string;
  userAgency: string | null;
  roles: string[];
  enquiryId: string | null;
  breakGlassReason: string | null;
  operationName: string | null;
  outcome: string;
  subjects: string[];
  released: string[];
  withheld: { field: string; rule: string }[];
  /** For an officer's governance traffic: what they did (`query:accessLog`, `policy.publish`). */
  action: string | null;
}

export interface NotificationView extends NotificationBody {
  id: string;
  seq: number;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Bad paging or filter input, reported to the caller with what was wrong. */
export class QueryInputError extends Error {}

export const MAX_PAGE = 200;

function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE)
    throw new QueryInputError(`first must be between 1 and ${MAX_PAGE}; got ${n}.`);
  return n;
}

function cursor(after: string | null | undefined): number | undefined {
  if (after == null) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(after))
    throw new QueryInputError(`after must be a cursor from a previous page; got "${after}".`);
  return Number(after);
}

function instant(name: string, value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new QueryInputError(
      `${name} must be an ISO 8601 time such as 2026-11-26T09:00:00Z; got "${value}".`,
    );
  return time.toISOString();
}

export function viewFor(agency: string, record: AuditRecord): AccessEntryView {
  return {
    seq: record.seq,
    at: record.at,
    requestId: record.requestId,
    userId: record.userId,
    userAgency: record.agency,
    roles: record.roles,
    enquiryId: record.enquiryId,
    breakGlassReason: record.breakGlassReason,
    operationName: record.operationName,
    outcome: record.outcome,
    subjects: record.seen?.find((s) => s.agency === agency)?.subjects ?? [],
    released: record.released.filter((r) => r.agency === agency).map((r) => r.field),
    withheld: record.withheld
      .filter((w) => w.agency === agency)
      .map(({ field, rule }) => ({ field, rule })),
    action: record.governance?.action ?? null,
  };
}

/**
 * Accesses to one agency's data, newest first. The agency is not a filter the caller chooses: the
 * governance API passes the officer's own, and nothing here can reach another agency's rows.
 */
export async function queryAccessLog(
  db: Kysely<AuditTables>,
  agency: string,
  filter: AccessLogFilter,
  first?: number | null,
  after?: string | null,
): Promise<Page<AccessEntryView>> {
  const size = pageSize(first);
  const before = cursor(after);
  const from = instant("from", filter.from);
  const to = instant("to", filter.to);
  const candidates = (below: number | undefined, limit: number) => {
    let query = db
      .selectFrom("audit_agency as a")
      .innerJoin("audit_log as l", "l.seq", "a.seq")
      .select(["l.seq", "l.body"])
      .where("a.agency", "=", agency);
    if (filter.subjectId)
      query = query
        .innerJoin("audit_subject as s", "s.seq", "a.seq")
        .where("s.subject_id", "=", filter.subjectId);
    if (filter.userId) query = query.where("l.user_id", "=", filter.userId);
    if (filter.enquiryId) query = query.where("l.enquiry_id", "=", filter.enquiryId);
    if (from) query = query.where("l.at", ">=", from);
    if (to) query = query.where("l.at", "<", to);
    if (filter.breakGlass != null)
      query = query.where("l.break_glass", "=", filter.breakGlass ? 1 : 0);
    const traffic = filter.traffic ?? "PRACTITIONERS";
    if (traffic !== "ALL")
      query = query.where("l.governance", "=", traffic === "GOVERNANCE" ? 1 : 0);
    if (below !== undefined) query = query.where("a.seq", "<", below);
    return query.orderBy("a.seq", "desc").limit(limit).execute();
  };
  // The subject index is per record, not per agency: a record that returned another agency's
  // data about the person is a candidate, and is dropped here unless this agency's was too.
  const items: AccessEntryView[] = [];
  const batch = filter.subjectId ? (size + 1) * 2 : size + 1;
  let below = before;
  for (;;) {
    const rows = await candidates(below, batch);
    for (const row of rows) {
      const view = viewFor(agency, JSON.parse(row.body) as AuditRecord);
      if (!filter.subjectId || view.subjects.includes(filter.subjectId)) items.push(view);
    }
    if (items.length > size || rows.length < batch) break;
    below = Number(rows[rows.length - 1]?.seq);
  }
  const page = items.slice(0, size);
  return {
    items: page,
    nextCursor: items.length > size ? String(page[page.length - 1]?.seq) : null,
  };
}

const notificationView = (row: AuditTables["audit_notification"]): NotificationView => ({
  ...(JSON.parse(row.body) as NotificationBody),
  id: row.id,
  seq: Number(row.seq),
  acknowledgedBy: row.acknowledged_by,
  acknowledgedAt: row.acknowledged_at,
});

/** One agency's notifications, newest first; `acknowledged` false lists what still needs a look. */
export async function queryNotifications(
  db: Kysely<AuditTables>,
  agency: string,
  acknowledged: boolean | null | undefined,
  first?: number | null,
  after?: string | null,
): Promise<Page<NotificationView>> {
  const size = pageSize(first);
  const before = cursor(after);
  let query = db.selectFrom("audit_notification").selectAll().where("agency", "=", agency);
  if (acknowledged === true) query = query.where("acknowledged_at", "is not", null);
  if (acknowledged === false) query = query.where("acknowledged_at", "is", null);
  if (before !== undefined) query = query.where("seq", "<", before);
  const rows = await query
    .orderBy("seq", "desc")
    .limit(size + 1)
    .execute();
  const items = rows.slice(0, size).map(notificationView);
  return {
    items,
    nextCursor: rows.length > size ? String(items[items.length - 1]?.seq) : null,
  };
}

/**
 * Marks one of the agency's notifications as seen by an officer; the first acknowledgement
 * stands. Another agency's notification is "not found", so its existence does not leak.
 */
export async function acknowledgeNotification(
  db: Kysely<AuditTables>,
  agency: string,
  id: string,
  officer: string,
  now: Date = new Date(),
): Promise<NotificationView | undefined> {
  await db
    .updateTable("audit_notification")
    .set({ acknowledged_by: officer, acknowledged_at: now.toISOString() })
    .where("id", "=", id)
    .where("agency", "=", agency)
    .where("acknowledged_at", "is", null)
    .execute();
  const row = await db
    .selectFrom("audit_notification")
    .selectAll()
    .where("id", "=", id)
    .where("agency", "=", agency)
    .executeTakeFirst();
  return row ? notificationView(row) : undefined;
}
