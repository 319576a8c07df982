import {
  countSubjectsIn,
  fromFlag,
  jsonArrayFrom,
  parseJson,
  type Store,
  type SubjectCounts,
} from "@mash/kit";
import { type Kysely, type Migration, sql } from "kysely";

export interface ProbationDB {
  persons: {
    subject_id: string;
    on_licence: number | null;
    mappa_level: number | null;
    risk_of_serious_harm: string | null;
  };
  offences: {
    subject_id: string;
    id: string;
    date: string;
    category: string;
  };
}

export const tables = ["offences", "persons"] as const;

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("persons")
        .addColumn("subject_id", "text", (c) => c.primaryKey())
        .addColumn("on_licence", "integer")
        .addColumn("mappa_level", "integer", (c) =>
          c.check(sql`mappa_level is null or mappa_level between 1 and 3`),
        )
        .addColumn("risk_of_serious_harm", "text")
        .execute();
      await db.schema
        .createTable("offences")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("date", "text", (c) => c.notNull())
        .addColumn("category", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("offences_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

export interface ProbationSection {
  known: boolean;
  onLicence: boolean | null;
  mappaLevel: number | null;
  riskOfSeriousHarm: string | null;
  offences: { id: string; date: string; category: string }[];
}

export const unknownSection = (): ProbationSection => ({
  known: false,
  onLicence: null,
  mappaLevel: null,
  riskOfSeriousHarm: null,
  offences: [],
});

/** Every requested person's whole section in one statement, however many people are asked for. */
export async function loadSections(
  store: Store<ProbationDB>,
  ids: readonly string[],
): Promise<Map<string, ProbationSection>> {
  const { db, dialect } = store;
  const rows = await db
    .selectFrom("persons as p")
    .where("p.subject_id", "in", ids)
    .select((eb) => [
      "p.subject_id",
      "p.on_licence",
      "p.mappa_level",
      "p.risk_of_serious_harm",
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("offences as o")
          .whereRef("o.subject_id", "=", "p.subject_id")
          .select(["o.id", "o.date", "o.category"])
          .orderBy("o.date")
          .orderBy("o.id"),
      ).as("offences"),
    ])
    .execute();

  return new Map(
    rows.map((row) => [
      row.subject_id,
      {
        known: true,
        onLicence: fromFlag(row.on_licence),
        mappaLevel: row.mappa_level,
        riskOfSeriousHarm: row.risk_of_serious_harm,
        offences: (parseJson(row.offences) ?? []).map((o) => ({
          id: o.id,
          date: o.date,
          category: o.category,
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
export async function countSubjects(store: Store<ProbationDB>): Promise<SubjectCounts> {
  return countSubjectsIn(store, {
    ProbationSection: { table: "persons" },
    Offence: { table: "offences" },
  });
}
