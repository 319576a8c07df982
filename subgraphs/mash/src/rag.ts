import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import { callerAgency } from "./agencies.ts";
import { enquiryForUpdate } from "./decision.ts";
import { requireReason } from "./enquiries.ts";
import { type MashSettings, RAGS, type Rag } from "./settings.ts";
import { type EnquiryView, type MashDB, toEnquiry } from "./store.ts";
import { dueAt } from "./timescales.ts";

export interface ChangeRagArgs {
  enquiryId: string;
  rag: string;
  reason: string;
}

/** One RAG rating an enquiry had, as the schema's RagChange reads it. */
export interface RagChangeView {
  enquiryId: string;
  seq: number;
  rag: string;
  previous: string | null;
  reason: string;
  changedBy: string;
  changedAt: string;
}

export function toRagChange(row: MashDB["rag_changes"]): RagChangeView {
  return {
    enquiryId: row.enquiry_id,
    seq: row.seq,
    rag: row.rag,
    previous: row.previous,
    reason: row.reason,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  };
}

/**
 * Changes an open enquiry's RAG rating, for its lead agency, with the reason; the change joins
 * its history. The decision and every request still waiting for an answer fall due on the new
 * timescale, counted from when they started, so a rating raised to RED is due sooner at once.
 * Every check runs before anything is written, and the writes share one transaction.
 */
export async function changeRag(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  args: ChangeRagArgs,
  now = new Date(),
): Promise<EnquiryView> {
  const agency = callerAgency(caller, "an enquiry's rating is changed by its lead agency");
  const enquiryId = args.enquiryId.trim();
  if (!RAGS.includes(args.rag as Rag))
    throw badUserInput(`rag must be one of ${RAGS.join(", ")}; got ${args.rag}.`, "rag");
  const rag = args.rag as Rag;
  const reason = requireReason(args.reason, "reason", settings.minReasonLength);

  return store.db.transaction().execute(async (trx) => {
    const enquiry = await enquiryForUpdate(trx, store.dialect, enquiryId, "enquiryId");
    if (enquiry.status !== "OPEN") {
      throw badUserInput(
        `${enquiryId} is closed: a rating changes only while an enquiry is open.`,
        "enquiryId",
      );
    }
    if (enquiry.lead !== agency) {
      throw badUserInput(
        enquiry.lead === null
          ? `${enquiryId} has no lead agency on record (it was opened before leads were kept), so no agency changes its rating.`
          : `Your agency, ${agency}, does not lead ${enquiryId}: only its lead agency changes its rating.`,
        "enquiryId",
      );
    }
    if (enquiry.rag === rag) throw badUserInput(`${enquiryId} is already rated ${rag}.`, "rag");

    const last = await trx
      .selectFrom("rag_changes")
      .where("enquiry_id", "=", enquiryId)
      .select((eb) => eb.fn.max("seq").as("max"))
      .executeTakeFirst();
    await trx
      .insertInto("rag_changes")
      .values({
        enquiry_id: enquiryId,
        seq: Number(last?.max ?? 0) + 1,
        rag,
        previous: enquiry.rag,
        reason,
        changed_by: caller.sub,
        changed_at: toDateTime(now),
      })
      .execute();
    const due = dueAt(settings.timescales, enquiry.opened_at, rag);
    await trx
      .updateTable("enquiries")
      .set({ rag, due_by: due })
      .where("id", "=", enquiryId)
      .execute();
    // Few per enquiry (at most one per agency), each due from its own askedAt.
    const waiting = await trx
      .selectFrom("research_requests")
      .where("enquiry_id", "=", enquiryId)
      .where("answered_at", "is", null)
      .where("released_at", "is", null)
      .select(["agency", "asked_at"])
      .execute();
    for (const request of waiting) {
      await trx
        .updateTable("research_requests")
        .set({ due_by: dueAt(settings.timescales, request.asked_at, rag) })
        .where("enquiry_id", "=", enquiryId)
        .where("agency", "=", request.agency)
        .execute();
    }
    return toEnquiry({ ...enquiry, rag, due_by: due });
  });
}
