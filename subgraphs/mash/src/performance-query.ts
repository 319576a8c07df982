import type { Store } from "@mash/kit";
import { type RawBuilder, sql } from "kysely";
import type { MashDB } from "./store.ts";

/** Where an enquiry decided before leads were kept is counted in `decisions`. */
export const UNRECORDED_LEAD = "(not recorded)";

/** One row of the report's statement: `kind` says which figure it carries. */
export interface ReportRow {
  kind: "contacts" | "opened" | "research" | "decisions" | "outcome" | "median";
  agency: string | null;
  rag: string | null;
  outcome: string | null;
  /** PostgreSQL returns counts (bigint) as strings. */
  total: number | string;
  within: number | string | null;
  hours: number | null;
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
