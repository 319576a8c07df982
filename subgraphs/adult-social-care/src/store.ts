import {
  countSubjectsIn,
  jsonArrayFrom,
  parseJson,
  type Store,
  type SubjectCounts,
} from "@mash/kit";
import type { Kysely, Migration } from "kysely";

export interface AdultSocialCareDB {
  persons: { subject_id: string; care_needs: string | null };
  safeguarding_enquiries: {
    subject_id: string;
    id: string;
    opened_at: string;
    concern: string;
    status: string;
  };
}

export const tables = ["safeguarding_enquiries", "persons"] as const;

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("persons")
        .addColumn("subject_id", "text", (c) => c.primaryKey())
        .addColumn("care_needs", "text")
        .execute();
      await db.schema
        .createTable("safeguarding_enquiries")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("opened_at", "text", (c) => c.notNull())
        .addColumn("concern", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("safeguarding_enquiries_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

export interface AdultSocialCareSection {
  known: boolean;
  safeguardingEnquiries: { id: string; openedAt: string; concern: string; status: string }[];
  careNeeds: string | null;
}

export const unknownSection = (): AdultSocialCareSection => ({
  known: false,
  safeguardingEnquiries: [],
  careNeeds: null,
});

/** Every requested person's whole section in one statement, however many people are asked for. */
export async function loadSections(
  store: Store<AdultSocialCareDB>,
  ids: readonly string[],
): Promise<Map<string, AdultSocialCareSection>> {
  const { db, dialect } = store;
  const rows = await db
    .selectFrom("persons as p")
    .where("p.subject_id", "in", ids)
    .select((eb) => [
      "p.subject_id",
      "p.care_needs",
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("safeguarding_enquiries as e")
          .whereRef("e.subject_id", "=", "p.subject_id")
          .select(["e.id", "e.opened_at", "e.concern", "e.status"])
          .orderBy("e.opened_at")
          .orderBy("e.id"),
      ).as("enquiries"),
    ])
    .execute();

  return new Map(
    rows.map((row) => [
      row.subject_id,
      {
        known: true,
        safeguardingEnquiries: (parseJson(row.enquiries) ?? []).map((e) => ({
          id: e.id,
          openedAt: e.opened_at,
          concern: e.concern,
          status: e.status,
        })),
        careNeeds: row.care_needs,
      },
    ]),
  );
}

/**
 * How many distinct subjects have at least one record of each GraphQL type this subgraph serves,
 * in one statement and without reading a value: what a governance officer weighs before changing
 * a sharing rule on those types.
 */
export async function countSubjects(store: Store<AdultSocialCareDB>): Promise<SubjectCounts> {
  return countSubjectsIn(store, {
    AdultSocialCareSection: { table: "persons" },
    SafeguardingEnquiry: { table: "safeguarding_enquiries" },
  });
}
