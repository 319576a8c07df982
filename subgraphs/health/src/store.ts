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
 * A row in `persons` means the NHS knows the person. The GP practice, mental health status and a
 * current pregnancy are at most one each, so they live on that row as nullable columns.
 */
export interface HealthDB {
  persons: {
    subject_id: string;
    gp_name: string | null;
    gp_phone: string | null;
    mh_open_to_services: number | null;
    mh_service: string | null;
    maternity_booked: number | null;
    maternity_expected_delivery_date: string | null;
  };
  unscheduled_care: {
    subject_id: string;
    id: string;
    attended_at: string;
    setting: string;
    reason: string;
  };
  health_visitor_contacts: {
    subject_id: string;
    id: string;
    contacted_at: string;
    summary: string;
  };
}

export const tables = ["health_visitor_contacts", "unscheduled_care", "persons"] as const;

export const migrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("persons")
        .addColumn("subject_id", "text", (c) => c.primaryKey())
        .addColumn("gp_name", "text")
        .addColumn("gp_phone", "text")
        .addColumn("mh_open_to_services", "integer")
        .addColumn("mh_service", "text")
        .addColumn("maternity_booked", "integer")
        .addColumn("maternity_expected_delivery_date", "text")
        // Each nested object is read back from one marker column, so its required parts must be
        // there whenever the marker is, and its optional ones absent when it is not.
        .addCheckConstraint("persons_gp_whole", sql`(gp_name is null) = (gp_phone is null)`)
        .addCheckConstraint(
          "persons_mh_whole",
          sql`mh_open_to_services is not null or mh_service is null`,
        )
        .addCheckConstraint(
          "persons_maternity_whole",
          sql`maternity_booked is not null or maternity_expected_delivery_date is null`,
        )
        .execute();
      await db.schema
        .createTable("unscheduled_care")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("attended_at", "text", (c) => c.notNull())
        .addColumn("setting", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("unscheduled_care_pk", ["subject_id", "id"])
        .execute();
      await db.schema
        .createTable("health_visitor_contacts")
        .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("contacted_at", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("health_visitor_contacts_pk", ["subject_id", "id"])
        .execute();
    },
  },
};

export interface GpPractice {
  name: string;
  phone: string;
}

export interface UnscheduledCareAttendance {
  id: string;
  attendedAt: string;
  setting: string;
  reason: string;
}

export interface MentalHealth {
  openToServices: boolean;
  service: string | null;
}

export interface HealthVisitorContact {
  id: string;
  contactedAt: string;
  summary: string;
}

export interface Maternity {
  expectedDeliveryDate: string | null;
  booked: boolean;
}

export interface HealthSection {
  known: boolean;
  gpPractice: GpPractice | null;
  unscheduledCare: UnscheduledCareAttendance[];
  mentalHealth: MentalHealth | null;
  healthVisitorContacts: HealthVisitorContact[];
  maternity: Maternity | null;
}

export const unknownSection = (): HealthSection => ({
  known: false,
  gpPractice: null,
  unscheduledCare: [],
  mentalHealth: null,
  healthVisitorContacts: [],
  maternity: null,
});

/** Every requested person's whole section in one statement, however many people are asked for. */
export async function loadSections(
  store: Store<HealthDB>,
  ids: readonly string[],
): Promise<Map<string, HealthSection>> {
  const { db, dialect } = store;
  const rows = await db
    .selectFrom("persons as p")
    .where("p.subject_id", "in", ids)
    .select((eb) => [
      "p.subject_id",
      "p.gp_name",
      "p.gp_phone",
      "p.mh_open_to_services",
      "p.mh_service",
      "p.maternity_booked",
      "p.maternity_expected_delivery_date",
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("unscheduled_care as u")
          .whereRef("u.subject_id", "=", "p.subject_id")
          .select(["u.id", "u.attended_at", "u.setting", "u.reason"])
          .orderBy("u.attended_at")
          .orderBy("u.id"),
      ).as("unscheduledCare"),
      jsonArrayFrom(
        dialect,
        eb
          .selectFrom("health_visitor_contacts as h")
          .whereRef("h.subject_id", "=", "p.subject_id")
          .select(["h.id", "h.contacted_at", "h.summary"])
          .orderBy("h.contacted_at")
          .orderBy("h.id"),
      ).as("healthVisitorContacts"),
    ])
    .execute();

  return new Map(
    rows.map((row) => {
      const mentalHealthOpen = fromFlag(row.mh_open_to_services);
      const booked = fromFlag(row.maternity_booked);
      const section: HealthSection = {
        known: true,
        // The check constraints keep each object whole, so one column stands for it.
        gpPractice: row.gp_name === null ? null : { name: row.gp_name, phone: row.gp_phone ?? "" },
        unscheduledCare: (parseJson(row.unscheduledCare) ?? []).map((u) => ({
          id: u.id,
          attendedAt: u.attended_at,
          setting: u.setting,
          reason: u.reason,
        })),
        mentalHealth:
          mentalHealthOpen === null
            ? null
            : { openToServices: mentalHealthOpen, service: row.mh_service },
        healthVisitorContacts: (parseJson(row.healthVisitorContacts) ?? []).map((h) => ({
          id: h.id,
          contactedAt: h.contacted_at,
          summary: h.summary,
        })),
        maternity:
          booked === null
            ? null
            : { expectedDeliveryDate: row.maternity_expected_delivery_date, booked },
      };
      return [row.subject_id, section];
    }),
  );
}

/**
 * How many distinct subjects have at least one record of each GraphQL type this subgraph serves,
 * in one statement and without reading a value: what a governance officer weighs before changing
 * a sharing rule on those types.
 */
export async function countSubjects(store: Store<HealthDB>): Promise<SubjectCounts> {
  return countSubjectsIn(store, {
    HealthSection: { table: "persons" },
    // The check constraints keep each nested object whole, so one column stands for it.
    GpPractice: { table: "persons", present: ["gp_name"] },
    UnscheduledCareAttendance: { table: "unscheduled_care" },
    MentalHealth: { table: "persons", present: ["mh_open_to_services"] },
    HealthVisitorContact: { table: "health_visitor_contacts" },
    Maternity: { table: "persons", present: ["maternity_booked"] },
  });
}
