import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import { callerAgency } from "./agencies.ts";
import { enquiryForUpdate } from "./decision.ts";
import { requireReason } from "./enquiries.ts";
import type { MashSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

export interface RecordDisagreementArgs {
  enquiryId: string;
  reason: string;
}

export interface DisagreementView {
  enquiryId: string;
  seq: number;
  agency: string;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

export function toDisagreement(row: MashDB["disagreements"]): DisagreementView {
  return {
    enquiryId: row.enquiry_id,
    seq: row.seq,
    agency: row.agency,
    reason: row.reason,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

/**
 * Records that the caller's agency disagrees, and why: an escalation the manager sees. Any agency
 * that took part may, the lead or one asked to research (released or not, since a released agency
 * may disagree with being released), while the enquiry is open or after its decision. Every
 * check runs before the one insert.
 */
export async function recordDisagreement(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  args: RecordDisagreementArgs,
  now = new Date(),
): Promise<DisagreementView> {
  const agency = callerAgency(caller, "a disagreement is recorded for the caller's agency");
  const enquiryId = args.enquiryId.trim();
  const reason = requireReason(args.reason, "reason", settings.minReasonLength);

  return store.db.transaction().execute(async (trx) => {
    // Locked, so two disagreements recorded at once take the next seq in turn.
    const enquiry = await enquiryForUpdate(trx, store.dialect, enquiryId, "enquiryId");
    if (enquiry.lead !== agency) {
      const asked = await trx
        .selectFrom("research_requests")
        .where("enquiry_id", "=", enquiryId)
        .where("agency", "=", agency)
        .select("agency")
        .executeTakeFirst();
      if (!asked) {
        throw badUserInput(
          `Your agency took no part in ${enquiryId} (${agency} neither leads it nor was asked to research), so it cannot record a disagreement.`,
          "enquiryId",
        );
      }
    }
    const last = await trx
      .selectFrom("disagreements")
      .where("enquiry_id", "=", enquiryId)
      .select((eb) => eb.fn.max("seq").as("max"))
      .executeTakeFirst();
    const row = {
      enquiry_id: enquiryId,
      seq: Number(last?.max ?? 0) + 1,
      agency,
      reason,
      recorded_by: caller.sub,
      recorded_at: toDateTime(now),
    };
    await trx.insertInto("disagreements").values(row).execute();
    return toDisagreement(row);
  });
}
