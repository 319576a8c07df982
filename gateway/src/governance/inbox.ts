import type { Kysely } from "kysely";
import type { AuditTables } from "../audit/store.ts";
import type { PolicyReads, PolicyVersion } from "./policy-store.ts";

/** What waits for one officer, read on sign-in: the console shows the counts at once. */
export interface Inbox {
  /** Proposals (rollbacks included) by another officer of the agency, not yet decided. */
  proposalsToReview: PolicyVersion[];
  /** Emergency narrowings another officer published, not yet reviewed by anyone. */
  narrowingsToReview: PolicyVersion[];
  /** The officer's own proposals and narrowings, waiting for another officer. */
  awaitingOthers: PolicyVersion[];
  /** Owner notifications nobody has acknowledged; null when the gateway keeps no access log. */
  unacknowledgedNotifications: number | null;
}

export async function inboxOf(options: {
  store: PolicyReads;
  agency: string;
  officerId: string;
  unacknowledged?: (agency: string) => Promise<number | null>;
}): Promise<Inbox> {
  const { officerId } = options;
  const [pending, notifications] = await Promise.all([
    options.store.awaitingReview(options.agency),
    options.unacknowledged ? options.unacknowledged(options.agency) : Promise.resolve(null),
  ]);
  const isNarrowing = (v: PolicyVersion) => v.emergencyReason !== null && !v.emergencyReviewedBy;
  const mine = (v: PolicyVersion) =>
    isNarrowing(v) ? v.publishedBy === officerId : v.author === officerId;
  return {
    proposalsToReview: pending.filter((v) => v.status === "PROPOSED" && !mine(v)),
    narrowingsToReview: pending.filter((v) => isNarrowing(v) && !mine(v)),
    awaitingOthers: pending.filter(mine),
    unacknowledgedNotifications: notifications,
  };
}

/**
 * How many of an agency's owner notifications nobody has acknowledged, from the access log's
 * notification table (the same rows `notifications(acknowledged: false)` lists); null without one.
 */
export async function unacknowledgedNotifications(
  db: Kysely<AuditTables> | undefined,
  agency: string,
): Promise<number | null> {
  if (!db) return null;
  const row = await db
    .selectFrom("audit_notification")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("agency", "=", agency)
    .where("acknowledged_at", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
