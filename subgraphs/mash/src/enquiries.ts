import { badUserInput, type CallerContext, type Store, toDateTime } from "@mash/kit";
import type { Kysely } from "kysely";
import { callerAgency, refuseLead, requireAgencyList } from "./agencies.ts";
import type { MashSettings, Rag } from "./settings.ts";
import { askedRequest, type EnquiryView, type MashDB, toEnquiry } from "./store.ts";

const MAX_SUBJECTS = 50;
const MAX_REASON = 2000;

export interface OpenEnquiryInput {
  reason: string;
  rag: Rag;
  subjectIds: string[];
  /** Agencies to rag in at opening; the same as asking them with requestResearch just after. */
  ask?: string[] | null;
}

export function requireReason(reason: string, field: string): string {
  const trimmed = reason.trim();
  if (!trimmed)
    throw badUserInput(`${field} is empty: record why, in words a reviewer can follow.`, field);
  if (trimmed.length > MAX_REASON) {
    throw badUserInput(`${field} is longer than ${MAX_REASON} characters.`, field);
  }
  return trimmed;
}

export function dueBy(openedAt: Date, rag: Rag, settings: MashSettings): string {
  return toDateTime(openedAt.getTime() + settings.ragHours[rag] * 3600_000);
}

/**
 * Opens an enquiry led by the caller's agency (as the gateway signed it), asking the agencies in
 * `input.ask` to research. Every check runs before anything is written, and the writes share one
 * transaction, so bad input changes nothing.
 */
export async function openEnquiry(
  store: Store<MashDB>,
  settings: MashSettings,
  caller: CallerContext,
  input: OpenEnquiryInput,
  now = new Date(),
): Promise<EnquiryView> {
  // The lead is whoever's front door opened it: never an argument, so no one can open an
  // enquiry in another agency's name.
  const lead = callerAgency(caller, "an enquiry is led by the agency of whoever opens it");
  const reason = requireReason(input.reason, "input.reason");
  const ask = requireAgencyList(input.ask ?? [], "input.ask");
  refuseLead(ask, "input.ask", lead);
  const ids = input.subjectIds.map((id) => id.trim());
  if (ids.length === 0)
    throw badUserInput("input.subjectIds is empty: link at least one subject.", "input.subjectIds");
  if (ids.length > MAX_SUBJECTS) {
    throw badUserInput(
      `input.subjectIds has ${ids.length} subjects; at most ${MAX_SUBJECTS}.`,
      "input.subjectIds",
    );
  }
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length) {
    throw badUserInput(
      `input.subjectIds names ${[...new Set(duplicates)].join(", ")} more than once.`,
      "input.subjectIds",
    );
  }

  // PostgreSQL may let two openings pick the same next number; the unique index refuses one,
  // and it simply tries again with the next.
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.db.transaction().execute(async (trx) => {
        const known = await trx
          .selectFrom("subjects")
          .where("id", "in", ids)
          .select("id")
          .execute();
        const missing = ids.filter((id) => !known.some((k) => k.id === id));
        if (missing.length) {
          throw badUserInput(
            `Unknown subject ${missing.length > 1 ? "ids" : "id"}: ${missing.join(", ")}.`,
            "input.subjectIds",
          );
        }
        const number = (await nextNumber(trx)) + attempt;
        const row = {
          id: `ENQ-${number}`,
          number,
          status: "OPEN",
          rag: input.rag,
          opened_at: toDateTime(now),
          due_by: dueBy(now, input.rag, settings),
          reason,
          outcome: null,
          closed_at: null,
          close_reason: null,
          lead,
        };
        await trx.insertInto("enquiries").values(row).execute();
        await trx
          .insertInto("enquiry_subjects")
          .values(ids.map((subject_id) => ({ enquiry_id: row.id, subject_id })))
          .execute();
        if (ask.length) {
          await trx
            .insertInto("research_requests")
            .values(ask.map((agency) => askedRequest(row.id, agency, row.opened_at, caller.sub)))
            .execute();
        }
        return toEnquiry(row);
      });
    } catch (error) {
      if (attempt < 5 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function nextNumber(db: Kysely<MashDB>): Promise<number> {
  const row = await db
    .selectFrom("enquiries")
    .select((eb) => eb.fn.max("number").as("max"))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return (
    e?.code === "23505" ||
    e?.code === "SQLITE_CONSTRAINT_UNIQUE" ||
    e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

export async function closeEnquiry(
  store: Store<MashDB>,
  args: { id: string; outcome: string; reason: string },
  now = new Date(),
): Promise<EnquiryView> {
  const reason = requireReason(args.reason, "reason");
  const { db } = store;
  const existing = await db
    .selectFrom("enquiries")
    .where("id", "=", args.id)
    .selectAll()
    .executeTakeFirst();
  if (!existing) throw badUserInput(`There is no enquiry ${args.id}.`, "id");
  if (existing.status !== "OPEN") {
    throw badUserInput(
      `${args.id} is already closed (${existing.outcome ?? "no outcome"}, ${existing.closed_at ?? "date unknown"}).`,
      "id",
    );
  }
  const closedAt = toDateTime(now);
  // The status condition makes a close that races another close a no-op instead of a rewrite.
  const result = await db
    .updateTable("enquiries")
    .set({ status: "CLOSED", outcome: args.outcome, closed_at: closedAt, close_reason: reason })
    .where("id", "=", args.id)
    .where("status", "=", "OPEN")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw badUserInput(`${args.id} was closed by someone else just now.`, "id");
  return toEnquiry({
    ...existing,
    status: "CLOSED",
    outcome: args.outcome,
    closed_at: closedAt,
    close_reason: reason,
  });
}

export async function listEnquiries(
  store: Store<MashDB>,
  args: { status?: string | null; first?: number | null },
): Promise<EnquiryView[]> {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) {
    throw badUserInput(`first must be between 1 and 500; got ${first}.`, "first");
  }
  let query = store.db
    .selectFrom("enquiries")
    .selectAll()
    .orderBy("opened_at", "desc")
    .orderBy("id")
    .limit(first);
  if (args.status) query = query.where("status", "=", args.status);
  return (await query.execute()).map(toEnquiry);
}
