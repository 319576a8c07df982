import { badUserInput, type Store, toDateTime } from "@mash/kit";
import { CompiledQuery, type RawBuilder, sql } from "kysely";
import { ENQUIRY_OUTCOMES } from "./decision.ts";
import { RAGS, type Rag } from "./settings.ts";
import type { MashDB } from "./store.ts";

export interface RagCount {
  rag: string;
  count: number;
}

export interface TimelinessCount {
  agency: string;
  rag: string;
  total: number;
  withinTimescale: number;
  share: number;
}

export interface OutcomeCount {
  outcome: string;
  count: number;
}

export interface MashPerformanceView {
  from: string;
  to: string;
  contacts: number;
  enquiriesOpened: number;
  openedWithoutContact: number;
  enquiriesByRag: RagCount[];
  research: TimelinessCount[];
  decisions: TimelinessCount[];
  medianHoursToDecision: number | null;
  outcomes: OutcomeCount[];
}

/** Where an enquiry decided before leads were kept is counted in `decisions`. */
export const UNRECORDED_LEAD = "(not recorded)";
const MAX_YEARS = 5;
/** toDateTime's form for years 0000 to 9999: fixed width, so text order is time order. */
const STORED_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** One row of the report's statement: `kind` says which figure it carries. */
interface ReportRow {
  kind: "contacts" | "opened" | "research" | "decisions" | "outcome" | "median";
  agency: string | null;
  rag: string | null;
  outcome: string | null;
  /** PostgreSQL returns counts (bigint) as strings. */
  total: number | string;
  within: number | string | null;
  hours: number | null;
}

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

/** Hours between two stored times, as each dialect computes it exactly (whole seconds). */
function hoursBetween(dialect: Store<MashDB>["dialect"], a: string, b: string): RawBuilder<number> {
  return dialect === "sqlite"
    ? sql<number>`(unixepoch(${sql.ref(b)}) - unixepoch(${sql.ref(a)})) / 3600.0`
    : sql<number>`extract(epoch from (${sql.ref(b)}::timestamptz - ${sql.ref(a)}::timestamptz))::float8 / 3600`;
}

// Typed nulls: PostgreSQL resolves a UNION column that is an untyped null in its first branches
// as text, and would then refuse the median's double precision.
const none = sql<string | null>`cast(null as text)`;
const noCount = sql<number | null>`cast(null as integer)`;
const noHours = sql<number | null>`cast(null as double precision)`;

/** The report's one statement, unexecuted: exported so its plan can be read (EXPLAIN). */
export function reportQuery(store: Store<MashDB>, from: string, to: string) {
  const kind = (k: ReportRow["kind"]) => sql.lit(k).$castTo<ReportRow["kind"]>().as("kind");
  const within = (time: string, due: string) =>
    sql<number>`sum(case when ${sql.ref(time)} <= ${sql.ref(due)} then 1 else 0 end)`;
  return (
    store.db
      .with("decided", (db) =>
        db
          .selectFrom("enquiries")
          .where("closed_at", ">=", from)
          .where("closed_at", "<", to)
          .select((eb) => [
            eb.fn.coalesce("lead", sql.lit(UNRECORDED_LEAD)).as("lead"),
            "rag",
            "outcome",
            "closed_at",
            "due_by",
            hoursBetween(store.dialect, "opened_at", "closed_at").as("hours"),
          ]),
      )
      // Each decision's rank by hours and how many there are: the median is the middle one(s).
      .with("ranked", (db) =>
        db.selectFrom("decided").select((eb) => [
          "hours",
          eb.fn
            .agg<number>("row_number")
            .over((o) => o.orderBy("hours"))
            .as("rn"),
          eb.fn.countAll<number>().over().as("n"),
        ]),
      )
      .selectFrom("contacts")
      .where("received_at", ">=", from)
      .where("received_at", "<", to)
      .select((eb) => [
        kind("contacts"),
        none.as("agency"),
        none.as("rag"),
        none.as("outcome"),
        eb.fn.countAll<number>().as("total"),
        noCount.as("within"),
        noHours.as("hours"),
      ])
      .unionAll((eb) =>
        eb
          .selectFrom("enquiries")
          .where("opened_at", ">=", from)
          .where("opened_at", "<", to)
          .groupBy("rag")
          .select((eb) => [
            kind("opened"),
            none.as("agency"),
            "rag",
            none.as("outcome"),
            eb.fn.countAll<number>().as("total"),
            eb.fn.sum<number>("without_contact").as("within"),
            noHours.as("hours"),
          ]),
      )
      .unionAll((eb) =>
        eb
          .selectFrom("research_requests as r")
          .innerJoin("enquiries as e", "e.id", "r.enquiry_id")
          .where("r.asked_at", ">=", from)
          .where("r.asked_at", "<", to)
          .groupBy(["r.agency", "e.rag"])
          .select((eb) => [
            kind("research"),
            "r.agency",
            "e.rag",
            none.as("outcome"),
            eb.fn.countAll<number>().as("total"),
            within("r.answered_at", "r.due_by").as("within"),
            noHours.as("hours"),
          ]),
      )
      .unionAll((eb) =>
        eb
          .selectFrom("decided")
          .groupBy(["lead", "rag"])
          .select((eb) => [
            kind("decisions"),
            "lead as agency",
            "rag",
            none.as("outcome"),
            eb.fn.countAll<number>().as("total"),
            within("closed_at", "due_by").as("within"),
            noHours.as("hours"),
          ]),
      )
      .unionAll((eb) =>
        eb
          .selectFrom("decided")
          .where("outcome", "is not", null)
          .groupBy("outcome")
          .select((eb) => [
            kind("outcome"),
            none.as("agency"),
            none.as("rag"),
            "outcome",
            eb.fn.countAll<number>().as("total"),
            noCount.as("within"),
            noHours.as("hours"),
          ]),
      )
      // Integer division: for n = 5 ranks 3 and 3, for n = 4 ranks 2 and 3.
      .unionAll((eb) =>
        eb
          .selectFrom("ranked")
          .where((eb) =>
            eb.or([
              eb("rn", "=", sql<number>`(${sql.ref("n")} + 1) / 2`),
              eb("rn", "=", sql<number>`(${sql.ref("n")} + 2) / 2`),
            ]),
          )
          .select((eb) => [
            kind("median"),
            none.as("agency"),
            none.as("rag"),
            none.as("outcome"),
            eb.fn.countAll<number>().as("total"),
            noCount.as("within"),
            eb.fn.avg<number>("hours").as("hours"),
          ]),
      )
  );
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

const ragOrder = (rag: string) => {
  const i = RAGS.indexOf(rag as Rag);
  return i < 0 ? RAGS.length : i;
};

function timeliness(rows: ReportRow[]): TimelinessCount[] {
  return rows
    .map((r) => {
      const total = Number(r.total);
      const withinTimescale = Number(r.within ?? 0);
      return {
        agency: r.agency ?? "",
        rag: r.rag ?? "",
        total,
        withinTimescale,
        share: withinTimescale / total,
      };
    })
    .sort(
      (a, b) =>
        (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0) ||
        ragOrder(a.rag) - ragOrder(b.rag),
    );
}

function summarise(from: string, to: string, rows: ReportRow[]): MashPerformanceView {
  const of = (kind: ReportRow["kind"]) => rows.filter((r) => r.kind === kind);
  const opened = of("opened");
  const count = (list: ReportRow[], key: "rag" | "outcome", value: string) =>
    Number(list.find((r) => r[key] === value)?.total ?? 0);
  const outcomes = of("outcome");
  // Outcomes outside the schema's list are kept, so they show up rather than vanish.
  const stored = outcomes
    .map((r) => r.outcome ?? "")
    .filter((o) => !(ENQUIRY_OUTCOMES as readonly string[]).includes(o));
  const hours = of("median")[0]?.hours;
  return {
    from,
    to,
    contacts: Number(of("contacts")[0]?.total ?? 0),
    enquiriesOpened: opened.reduce((n, r) => n + Number(r.total), 0),
    openedWithoutContact: opened.reduce((n, r) => n + Number(r.within ?? 0), 0),
    enquiriesByRag: [
      ...RAGS,
      ...opened.map((r) => r.rag ?? "").filter((rag) => ragOrder(rag) === RAGS.length),
    ].map((rag) => ({ rag, count: count(opened, "rag", rag) })),
    research: timeliness(of("research")),
    decisions: timeliness(of("decisions")),
    medianHoursToDecision: hours === null || hours === undefined ? null : Number(hours),
    outcomes: [...ENQUIRY_OUTCOMES, ...stored].map((outcome) => ({
      outcome,
      count: count(outcomes, "outcome", outcome),
    })),
  };
}
