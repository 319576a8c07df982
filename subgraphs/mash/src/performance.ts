import { badUserInput, type Store, toDateTime } from "@mash/kit";
import { CompiledQuery } from "kysely";
import { type ReportRow, reportQuery } from "./performance-query.ts";
import { type MashPerformanceView, summarise } from "./performance-summary.ts";
import type { MashDB } from "./store.ts";

export { UNRECORDED_LEAD } from "./performance-query.ts";
export type {
  MashPerformanceView,
  OutcomeCount,
  RagCount,
  TimelinessCount,
} from "./performance-summary.ts";

const MAX_YEARS = 5;
/** toDateTime's form for years 0000 to 9999: fixed width, so text order is time order. */
const STORED_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * The MASH's management report for the half-open period [from, to), in ONE SQL statement on
 * either store, whatever the period: each figure is a branch of a UNION ALL tagged by `kind`,
 * each branch reading one index range, so the cost follows the rows in the period, not the store.
 *
 * - `contacts`: contacts with `received_at` in the period.
 * - `enquiriesOpened`, `openedWithoutContact`, `enquiriesByRag`: enquiries with `opened_at` in
 *   the period; `openedWithoutContact` those with `without_contact = 1`; by RAG is by the CURRENT
 *   rating, every RAG listed (0 included) so a chart always has its three bars.
 * - `research`: research requests with `asked_at` in the period, per asked agency and the
 *   enquiry's current RAG. `total` counts every one (released and unanswered ones included);
 *   `withinTimescale` those with `answered_at <= due_by` (timeliness.ts's definition). A row with
 *   no `due_by` (written before due times were kept) counts as not within: its due time would need
 *   the working-hours calendar, which SQL does not have.
 * - `decisions`: enquiries with `closed_at` in the period, per lead agency (UNRECORDED_LEAD for
 *   rows with none) and current RAG; `withinTimescale` those with `closed_at <= due_by`.
 * - `medianHoursToDecision`: the median of `closed_at - opened_at` in hours over those decisions
 *   (the mean of the two middle ones for an even count), computed in SQL with window functions;
 *   null when there are none.
 * - `outcomes`: those decisions by outcome, every outcome listed (0 included), in schema order.
 * - Timeliness lists are sorted by agency, then RED, AMBER, GREEN; `share` = within / total.
 *
 * Stored times are toDateTime's text (UTC, whole seconds, `Z`), compared as text; `from` and
 * `to` are converted the same way. Refused (BAD_USER_INPUT naming the argument): a time outside
 * years 0000-9999 (its text would not be fixed width), `to` not after `from`, a period longer
 * than five years.
 */
export async function mashPerformance(
  store: Store<MashDB>,
  args: { from: string; to: string },
): Promise<MashPerformanceView> {
  const from = storedTime(args.from, "from");
  const to = storedTime(args.to, "to");
  if (to <= from) throw badUserInput(`to (${to}) must be after from (${from}).`, "to");
  const limit = new Date(from);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS);
  if (Date.parse(to) > limit.getTime()) {
    throw badUserInput(
      `The period from ${from} to ${to} is longer than ${MAX_YEARS} years; ask for at most ${MAX_YEARS} years at a time.`,
      "to",
    );
  }
  return summarise(from, to, (await reportQuery(store, from, to).execute()) as ReportRow[]);
}

function storedTime(value: string, field: string): string {
  const ms = Date.parse(value);
  const stored = Number.isNaN(ms) ? "" : toDateTime(ms);
  if (!STORED_FORM.test(stored)) {
    throw badUserInput(`${field} must be a time in the years 0000 to 9999.`, field);
  }
  return stored;
}

/** The planner's plan for the report's statement, one line per step (EXPLAIN). */
export async function explainReport(store: Store<MashDB>, from: string, to: string) {
  const { sql: text, parameters } = reportQuery(store, from, to).compile();
  const explain = store.dialect === "sqlite" ? "explain query plan" : "explain";
  const { rows } = await store.db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(`${explain} ${text}`, [...parameters]),
  );
  return rows.map((r) => String(r.detail ?? r["QUERY PLAN"]));
}
