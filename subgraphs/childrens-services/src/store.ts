import {
  countSubjectsIn,
  fromFlag,
  jsonArrayFrom,
  parseJson,
  type Store,
  type SubjectCounts,
} from "@mash/kit";
import { type Kysely, type Migration, sql } from "kysely";

/**
 * A row in `persons` means the local authority knows the person. The allocated worker and the
 * child protection plan are at most one each, so they live on that row as nullable columns.
 */
export interface ChildrensServicesDB {
  persons: {
    subject_id: string;
    open_case: number | null;
    looked_after: number | null;
    child_in_need: number | null;
    previous_referrals: number | null;
    worker_name: string | null;
    worker_team: string | null;
    worker_phone: string | null;
    cp_category: string | null;
    cp_start_date: string | null;
  };
  case_notes: {
    subject_id: string;
    id: string;
    recorded_at: string;
    text: string;
  };
}

export const tables = ["case_notes", "persons"] as const;

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("persons")
        .addColumn("subject_id", "text", (c) => c.primaryKey())
        .addColumn("open_case", "integer")
        .addColumn("looked_after", "integer")
        .addColumn("child_in_need", "integer")
        .addColumn("previous_referrals", "integer")
        .addColumn("worker_name", "text")
        .addColumn("worker_team", "text")
        .addColumn("worker_phone", "text")
        .addColumn("cp_category", "text")
        .addColumn("cp_start_date", "text")
        // The section maps a worker or a plan to one object with non-null fields, so a half
        // recorded one must never reach the table.
        .addCheckConstraint(
          "persons_worker_whole",
          sql`(worker_name is null and worker_team is null and worker_phone is null)
            or (worker_name is not null and worker_team is not null and worker_phone is not null)`,
        )
        .addCheckConstraint(
          "persons_cp_plan_whole",
          sql`(cp_category is null) = (cp_start_date is null)`,
        )
        .execute();
      await db.schema
        .createTable("case_notes")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("case_notes_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

export interface AllocatedWorker {
  name: string;
  team: string;
  phone: string;
}

export interface ChildProtectionPlan {
  category: string;
  startDate: string;
}

export interface CaseNote {
  id: string;
  recordedAt: string;
  text: string;
}

export interface SocialCareSection {
  known: boolean;
  openCase: boolean | null;
  allocatedWorker: AllocatedWorker | null;
  childProtectionPlan: ChildProtectionPlan | null;
  lookedAfter: boolean | null;
  childInNeed: boolean | null;
  previousReferrals: number | null;
  caseNotes: CaseNote[];
}

export const unknownSection = (): SocialCareSection => ({
  known: false,
  openCase: null,
  allocatedWorker: null,
  childProtectionPlan: null,
  lookedAfter: null,
  childInNeed: null,
  previousReferrals: null,
  caseNotes: [],
});

/** Every requested person's whole section in one statement, however many people are asked for. */
export async function loadSections(
  store: Store<ChildrensServicesDB>,
  ids: readonly string[],
): Promise<Map<string, SocialCareSection>> {
  const { db, dialect } = store;
  const rows = await db
    .selectFrom("persons as p")
    .where("p.subject_id", "in", ids)
    .select((eb) => [
      "p.subject_id",
      "p.open_case",
      "p.looked_after",
      "p.child_in_need",
      "p.previous_referrals",
      "p.worker_name",
      "p.worker_team",
      "p.worker_phone",
      "p.cp_category",
      "p.cp_start_date",
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("case_notes as n")
          .whereRef("n.subject_id", "=", "p.subject_id")
          .select(["n.id", "n.recorded_at", "n.text"])
          .orderBy("n.recorded_at")
          .orderBy("n.id"),
      ).as("caseNotes"),
    ])
    .execute();

  return new Map(
    rows.map((row) => [
      row.subject_id,
      {
        known: true,
        openCase: fromFlag(row.open_case),
        // The check constraints keep a worker and a plan whole, so one column stands for each.
        allocatedWorker:
          row.worker_name === null
            ? null
            : { name: row.worker_name, team: row.worker_team ?? "", phone: row.worker_phone ?? "" },
        childProtectionPlan:
          row.cp_category === null
            ? null
            : { category: row.cp_category, startDate: row.cp_start_date ?? "" },
        lookedAfter: fromFlag(row.looked_after),
        childInNeed: fromFlag(row.child_in_need),
        previousReferrals: row.previous_referrals,
        caseNotes: (parseJson(row.caseNotes) ?? []).map((n) => ({
          id: n.id,
          recordedAt: n.recorded_at,
          text: n.text,
        })),
      },
    ]),
  );
}

/**
 * How many distinct subjects have at least one record of each GraphQL type this subgraph serves,
 * in one statement and without reading a value: what a governance officer weighs before changing
 * a sharing rule on those types.
 */
export async function countSubjects(store: Store<ChildrensServicesDB>): Promise<SubjectCounts> {
  return countSubjectsIn(store, {
    SocialCareSection: { table: "persons" },
    AllocatedWorker: { table: "persons", present: ["worker_name"] },
    ChildProtectionPlan: { table: "persons", present: ["cp_category"] },
    CaseNote: { table: "case_notes" },
  });
}
