import { badUserInput, type CallerContext, type Dialect, type Store, toDateTime } from "@mash/kit";
import type { Transaction } from "kysely";
import { callerAgency, refuseLead, requireAgencyList, requireAgencyName } from "./agencies.ts";
import { requireReason } from "./enquiries.ts";
import type { MashSettings, Rag } from "./settings.ts";
import {
  askedRequest,
  type EnquiryRow,
  type EnquiryView,
  type MashDB,
  toEnquiry,
} from "./store.ts";
import { dueAt } from "./timescales.ts";

export interface RequestResearchArgs {
  enquiryId: string;
  agencies: string[];
}

export interface ReleaseResearchArgs {
  enquiryId: string;
  agency: string;
  reason: string;
}

/**
 * Asks agencies to research in an open enquiry ("ragging in"), for its lead agency only. An
 * agency released earlier may be asked again: its request is reopened (asked now, by the caller;
 * the release cleared), since one row per agency says whether it takes part now, and the access
 * log keeps what it saw before. Every check runs before anything is written, and the writes
 * share one transaction, so bad input changes nothing.
 */
export async function requestResearch(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  args: RequestResearchArgs,
  now = new Date(),
): Promise<EnquiryView> {
  const agency = callerAgency(caller, "agencies are asked in by the enquiry's lead agency");
  const enquiryId = args.enquiryId.trim();
  const agencies = requireAgencyList(args.agencies, "agencies");
  if (agencies.length === 0)
    throw badUserInput("agencies is empty: name at least one agency to ask.", "agencies");

  return store.db.transaction().execute(async (trx) => {
    const enquiry = await enquiryLedBy(trx, store.dialect, enquiryId, agency, "asks agencies in");
    refuseLead(agencies, "agencies", agency);
    const existing = await trx
      .selectFrom("research_requests")
      .where("enquiry_id", "=", enquiryId)
      .where("agency", "in", agencies)
      .select(["agency", "asked_at", "released_at"])
      .execute();
    const unreleased = existing.filter((r) => r.released_at === null);
    if (unreleased.length) {
      throw badUserInput(
        `agencies names ${unreleased.map((r) => `${r.agency} (asked ${r.asked_at})`).join(", ")}, already asked in ${enquiryId} and not released.`,
        "agencies",
      );
    }

    const askedAt = toDateTime(now);
    // Due from the enquiry's RAG timescale, counted from when the agency is asked.
    const due = dueAt(settings.timescales, now, enquiry.rag as Rag);
    const again = existing.map((r) => r.agency);
    const fresh = agencies.filter((a) => !again.includes(a));
    if (fresh.length) {
      await trx
        .insertInto("research_requests")
        .values(fresh.map((a) => askedRequest(enquiryId, a, askedAt, caller.sub, due)))
        .execute();
    }
    if (again.length) {
      // Asked again: the same columns a first request is written with, the release cleared.
      const {
        enquiry_id: _id,
        agency: _agency,
        ...reasked
      } = askedRequest(enquiryId, "", askedAt, caller.sub, due);
      await trx
        .updateTable("research_requests")
        .set(reasked)
        .where("enquiry_id", "=", enquiryId)
        .where("agency", "in", again)
        .execute();
    }
    return toEnquiry(enquiry);
  });
}

/**
 * Releases an agency from an open enquiry, for its lead agency only, with the reason: the agency
 * no longer takes part, so the enquiry no longer gives it a purpose. The request stays, with who
 * released it, when and why: a reason of substance (the hub's minimum length), since it ends the
 * agency's sight of the detail. Every check runs before the one write.
 */
export async function releaseResearch(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  args: ReleaseResearchArgs,
  now = new Date(),
): Promise<EnquiryView> {
  const agency = callerAgency(caller, "agencies are released by the enquiry's lead agency");
  const enquiryId = args.enquiryId.trim();
  const released = requireAgencyName(args.agency, "agency");
  const reason = requireReason(args.reason, "reason", settings.minReasonLength);

  return store.db.transaction().execute(async (trx) => {
    const enquiry = await enquiryLedBy(trx, store.dialect, enquiryId, agency, "releases agencies");
    const request = await trx
      .selectFrom("research_requests")
      .where("enquiry_id", "=", enquiryId)
      .where("agency", "=", released)
      .select(["released_at"])
      .executeTakeFirst();
    if (!request) {
      throw badUserInput(`${released} has not been asked to research in ${enquiryId}.`, "agency");
    }
    if (request.released_at !== null) {
      throw badUserInput(
        `${released} was already released from ${enquiryId} (${request.released_at}).`,
        "agency",
      );
    }
    await trx
      .updateTable("research_requests")
      .set({ released_at: toDateTime(now), released_by: caller.sub, release_reason: reason })
      .where("enquiry_id", "=", enquiryId)
      .where("agency", "=", released)
      .execute();
    return toEnquiry(enquiry);
  });
}

/**
 * The enquiry, checked to exist, to be open and to be led by `agency`; refused naming enquiryId
 * otherwise. On PostgreSQL the row is locked until the transaction ends, so a close, or another
 * ask or release of the same enquiry, waits, and what was checked here still holds at the write.
 * SQLite runs one transaction at a time on the store's one connection (and has no FOR UPDATE).
 */
async function enquiryLedBy(
  trx: Transaction<MashDB>,
  dialect: Dialect,
  enquiryId: string,
  agency: string,
  doing: string,
): Promise<EnquiryRow> {
  let query = trx.selectFrom("enquiries").where("id", "=", enquiryId).selectAll();
  if (dialect === "postgres") query = query.forUpdate();
  const enquiry = await query.executeTakeFirst();
  if (!enquiry) throw badUserInput(`There is no enquiry ${enquiryId}.`, "enquiryId");
  if (enquiry.status !== "OPEN") {
    throw badUserInput(
      `${enquiryId} is closed: agencies are asked in and released while an enquiry is open.`,
      "enquiryId",
    );
  }
  if (enquiry.lead === null) {
    throw badUserInput(
      `${enquiryId} has no lead agency on record (it was opened before leads were kept), so no agency ${doing}.`,
      "enquiryId",
    );
  }
  if (enquiry.lead !== agency) {
    throw badUserInput(
      `Your agency, ${agency}, does not lead ${enquiryId}: only its lead agency ${doing}.`,
      "enquiryId",
    );
  }
  return enquiry;
}
