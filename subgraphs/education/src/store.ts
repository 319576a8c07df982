import {
  countSubjectsIn,
  fromFlag,
  jsonArrayFrom,
  parseJson,
  type Store,
  type SubjectCounts,
} from "@mash/kit";
import type { Kysely, Migration } from "kysely";

export interface EducationDB {
  /** School and SEND are one-to-one, so they live on the person; null when not recorded. */
  persons: {
    subject_id: string;
    school_name: string | null;
    school_urn: string | null;
    attendance_percent: number | null;
    send_status: string | null;
    missing_education: number | null;
  };
  exclusions: {
    subject_id: string;
    id: string;
    date: string;
    kind: string;
    reason: string;
  };
}

export const tables = ["exclusions", "persons"] as const;

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("persons")
        .addColumn("subject_id", "text", (c) => c.primaryKey())
        .addColumn("school_name", "text")
        .addColumn("school_urn", "text")
        .addColumn("attendance_percent", "double precision")
        .addColumn("send_status", "text")
        .addColumn("missing_education", "integer")
        .execute();
      await db.schema
        .createTable("exclusions")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("date", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("exclusions_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

export interface EducationSection {
  known: boolean;
  school: { name: string; urn: string } | null;
  attendancePercent: number | null;
  exclusions: { id: string; date: string; kind: string; reason: string }[];
  send: { status: string } | null;
  missingEducation: boolean | null;
}

export const unknownSection = (): EducationSection => ({
  known: false,
  school: null,
  attendancePercent: null,
  exclusions: [],
  send: null,
  missingEducation: null,
});

/** Every requested person's whole section in one statement, however many people are asked for. */
export async function loadSections(
  store: Store<EducationDB>,
  ids: readonly string[],
): Promise<Map<string, EducationSection>> {
  const { db, dialect } = store;
  const rows = await db
    .selectFrom("persons as p")
    .where("p.subject_id", "in", ids)
    .select((eb) => [
      "p.subject_id",
      "p.school_name",
      "p.school_urn",
      "p.attendance_percent",
      "p.send_status",
      "p.missing_education",
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("exclusions as x")
          .whereRef("x.subject_id", "=", "p.subject_id")
          .select(["x.id", "x.date", "x.kind", "x.reason"])
          .orderBy("x.date")
          .orderBy("x.id"),
      ).as("exclusions"),
    ])
    .execute();

  return new Map(
    rows.map((row) => [
      row.subject_id,
      {
        known: true,
        school:
          row.school_name === null || row.school_urn === null
            ? null
            : { name: row.school_name, urn: row.school_urn },
        attendancePercent: row.attendance_percent,
        exclusions: (parseJson(row.exclusions) ?? []).map((x) => ({
          id: x.id,
          date: x.date,
          kind: x.kind,
          reason: x.reason,
        })),
        send: row.send_status === null ? null : { status: row.send_status },
        missingEducation: fromFlag(row.missing_education),
      },
    ]),
  );
}

/**
 * How many distinct subjects have at least one record of each GraphQL type this subgraph serves,
 * in one statement and without reading a value: what a governance officer weighs before changing
 * a sharing rule on those types.
 */
export async function countSubjects(store: Store<EducationDB>): Promise<SubjectCounts> {
  return countSubjectsIn(store, {
    EducationSection: { table: "persons" },
    School: { table: "persons", present: ["school_name", "school_urn"] },
    Exclusion: { table: "exclusions" },
    SendSupport: { table: "persons", present: ["send_status"] },
  });
}
