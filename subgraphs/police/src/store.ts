import {
  countSubjectsIn,
  fromFlag,
  jsonArrayFrom,
  parseJson,
  type Store,
  type SubjectCounts,
} from "@mash/kit";
import type { Kysely, Migration } from "kysely";

export interface PoliceDB {
  persons: { subject_id: string };
  warning_markers: { subject_id: string; marker: string };
  incidents: {
    subject_id: string;
    id: string;
    occurred_at: string;
    category: string;
    summary: string;
    child_present: number;
  };
  intelligence: {
    subject_id: string;
    id: string;
    grading: string;
    handling_code: string;
    summary: string;
    source: string;
  };
}

export const tables = ["intelligence", "incidents", "warning_markers", "persons"] as const;

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("persons")
        .addColumn("subject_id", "text", (c) => c.primaryKey())
        .execute();
      await db.schema
        .createTable("warning_markers")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("marker", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("warning_markers_pk", ["subject_id", "marker"])
        .execute();
      await db.schema
        .createTable("incidents")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("occurred_at", "text", (c) => c.notNull())
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        .addColumn("child_present", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("incidents_pk", ["subject_id", "id"])
        .execute();
      await db.schema
        .createTable("intelligence")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("grading", "text", (c) => c.notNull())
        .addColumn("handling_code", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("intelligence_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

export interface PoliceSection {
  known: boolean;
  warningMarkers: string[];
  incidents: {
    id: string;
    occurredAt: string;
    category: string;
    summary: string;
    childPresent: boolean;
  }[];
  intelligence: {
    id: string;
    grading: string;
    handlingCode: string;
    summary: string;
    source: string;
  }[];
}

export const unknownSection = (): PoliceSection => ({
  known: false,
  warningMarkers: [],
  incidents: [],
  intelligence: [],
});

/** Every requested person's whole section in one statement, however many people are asked for. */
export async function loadSections(
  store: Store<PoliceDB>,
  ids: readonly string[],
): Promise<Map<string, PoliceSection>> {
  const { db, dialect } = store;
  const rows = await db
    .selectFrom("persons as p")
    .where("p.subject_id", "in", ids)
    .select((eb) => [
      "p.subject_id",
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("warning_markers as w")
          .whereRef("w.subject_id", "=", "p.subject_id")
          .select("w.marker")
          .orderBy("w.marker"),
      ).as("markers"),
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("incidents as i")
          .whereRef("i.subject_id", "=", "p.subject_id")
          .select(["i.id", "i.occurred_at", "i.category", "i.summary", "i.child_present"])
          .orderBy("i.occurred_at"),
      ).as("incidents"),
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("intelligence as n")
          .whereRef("n.subject_id", "=", "p.subject_id")
          .select(["n.id", "n.grading", "n.handling_code", "n.summary", "n.source"])
          .orderBy("n.id"),
      ).as("intelligence"),
    ])
    .execute();

  return new Map(
    rows.map((row) => [
      row.subject_id,
      {
        known: true,
        warningMarkers: (parseJson(row.markers) ?? []).map((m) => m.marker),
        incidents: (parseJson(row.incidents) ?? []).map((i) => ({
          id: i.id,
          occurredAt: i.occurred_at,
          category: i.category,
          summary: i.summary,
          childPresent: fromFlag(i.child_present) ?? false,
        })),
        intelligence: (parseJson(row.intelligence) ?? []).map((n) => ({
          id: n.id,
          grading: n.grading,
          handlingCode: n.handling_code,
          summary: n.summary,
          source: n.source,
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
export async function countSubjects(store: Store<PoliceDB>): Promise<SubjectCounts> {
  return countSubjectsIn(store, {
    PoliceSection: { table: "persons" },
    PoliceIncident: { table: "incidents" },
    Intelligence: { table: "intelligence" },
  });
}
