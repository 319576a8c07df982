import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import type { Transaction } from "kysely";
import { callerAgency } from "./agencies.ts";
import { isUniqueViolation, requireReason } from "./enquiries.ts";
import {
  type MashDB,
  type SharingDecisionRow,
  type SharingDecisionView,
  toSharingDecision,
} from "./store.ts";

/**
 * What an agency decided about sharing what it holds for an enquiry (golden rule 7: record the
 * decision and the reasons, whether or not you share).
 */
export const SHARING_DECISION_KINDS = ["SHARE", "SHARE_WITH_CONDITIONS", "DO_NOT_SHARE"] as const;
export type SharingDecisionKind = (typeof SHARING_DECISION_KINDS)[number];

export interface RecordSharingDecisionArgs {
  enquiryId: string;
  decision: string;
  reason: string;
}

/** The decision, refused (naming `field`) unless it is one of the kinds. */
export function requireDecisionKind(decision: string, field: string): SharingDecisionKind {
  if (!SHARING_DECISION_KINDS.includes(decision as SharingDecisionKind)) {
    throw badUserInput(
      `${field} must be one of ${SHARING_DECISION_KINDS.join(", ")}; got ${decision}.`,
      field,
    );
  }
  return decision as SharingDecisionKind;
}

/**
 * Runs `work` in one transaction, and runs it again (from the start, reading afresh) when it
 * fails on a unique violation: on PostgreSQL two recordings may pick the same next `seq` for an
 * enquiry, the primary key refuses one, and that one simply tries again. SQLite runs one
 * transaction at a time, so there it never has to.
 */
export async function retryOnSeqClash<T>(
  store: Store<MashDB>,
  work: (trx: Transaction<MashDB>) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.db.transaction().execute(work);
    } catch (error) {
      if (attempt < 5 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

/**
 * Appends a sharing decision to its enquiry's history with the next `seq`; the one insert every
 * recording makes. Run it inside `retryOnSeqClash`, so a clash on `seq` is tried again.
 */
export async function insertSharingDecision(
  trx: Transaction<MashDB>,
  decision: Omit<SharingDecisionRow, "seq">,
): Promise<SharingDecisionRow> {
  const last = await trx
    .selectFrom("sharing_decisions")
    .where("enquiry_id", "=", decision.enquiry_id)
    .select((eb) => eb.fn.max("seq").as("max"))
    .executeTakeFirst();
  const row = { ...decision, seq: Number(last?.max ?? 0) + 1 };
  await trx.insertInto("sharing_decisions").values(row).execute();
  return row;
}

/**
 * Records the caller's agency's sharing decision for an enquiry. Recording again replaces the
 * agency's current decision; every earlier one stays in the history. Every check runs before
 * anything is written, and the write is one insert, so bad input changes nothing.
 */
export async function recordSharingDecision(
  store: Store<MashDB>,
  caller: CallerContext,
  args: RecordSharingDecisionArgs,
  now = new Date(),
): Promise<SharingDecisionView> {
  const agency = callerAgency(caller, "a sharing decision is recorded for the caller's agency");
  const decision = requireDecisionKind(args.decision, "decision");
  const reason = requireReason(args.reason, "reason");
  const enquiryId = args.enquiryId.trim();

  return retryOnSeqClash(store, async (trx) => {
    const enquiry = await trx
      .selectFrom("enquiries")
      .where("id", "=", enquiryId)
      .select(["status", "outcome", "closed_at"])
      .executeTakeFirst();
    if (!enquiry) throw badUserInput(`There is no enquiry ${enquiryId}.`, "enquiryId");
    if (enquiry.status !== "OPEN") {
      throw badUserInput(
        `${enquiryId} is closed: sharing decisions are recorded while an enquiry is open.`,
        "enquiryId",
      );
    }
    const row = await insertSharingDecision(trx, {
      enquiry_id: enquiryId,
      agency,
      decision,
      reason,
      recorded_by: caller.sub,
      recorded_at: toDateTime(now),
    });
    return toSharingDecision(row);
  });
}

/** The current decision of each agency (the last it recorded), in agency order. */
export function currentDecisions(history: SharingDecisionView[]): SharingDecisionView[] {
  const current = new Map<string, SharingDecisionView>();
  // History is newest first, so the first seen per agency is its current decision.
  for (const d of history) if (!current.has(d.agency)) current.set(d.agency, d);
  return [...current.values()].sort((a, b) => a.agency.localeCompare(b.agency));
}
