import {
  child,
  defineSection,
  flag,
  object,
  type SectionDB,
  type SectionOf,
  text,
} from "@mash/kit";
import { sql } from "kysely";

/**
 * The one place the health store's tables and columns are named. A row in `persons` means the
 * NHS knows the person. The GP practice, mental health status and a current pregnancy are at most
 * one each, so they live on that row as nullable columns.
 */
export const section = defineSection({
  section: "HealthSection",
  field: "health",
  person: {
    columns: {
      gpPractice: object("GpPractice", { name: text("gp_name"), phone: text("gp_phone") }, [
        "name",
      ]),
      mentalHealth: object(
        "MentalHealth",
        {
          openToServices: flag("mh_open_to_services"),
          service: text("mh_service", { nullable: true }),
        },
        ["openToServices"],
      ),
      maternity: object(
        "Maternity",
        {
          booked: flag("maternity_booked"),
          expectedDeliveryDate: text("maternity_expected_delivery_date", { nullable: true }),
        },
        ["booked"],
      ),
    },
    // Each nested object is read back from one marker column, so its required parts must be
    // there whenever the marker is, and its optional ones absent when it is not.
    checks: {
      persons_gp_whole: sql`(gp_name is null) = (gp_phone is null)`,
      persons_mh_whole: sql`mh_open_to_services is not null or mh_service is null`,
      persons_maternity_whole: sql`maternity_booked is not null or maternity_expected_delivery_date is null`,
    },
  },
  children: {
    unscheduledCare: child({
      table: "unscheduled_care",
      type: "UnscheduledCareAttendance",
      columns: {
        id: text("id"),
        attendedAt: text("attended_at"),
        setting: text("setting"),
        reason: text("reason"),
      },
      orderBy: ["attendedAt", "id"],
    }),
    healthVisitorContacts: child({
      table: "health_visitor_contacts",
      type: "HealthVisitorContact",
      columns: { id: text("id"), contactedAt: text("contacted_at"), summary: text("summary") },
      orderBy: ["contactedAt", "id"],
    }),
  },
});

export type HealthDB = SectionDB<typeof section.declaration>;
type HealthSection = SectionOf<typeof section.declaration>;
export type GpPractice = NonNullable<HealthSection["gpPractice"]>;
export type MentalHealth = NonNullable<HealthSection["mentalHealth"]>;
export type Maternity = NonNullable<HealthSection["maternity"]>;
export type UnscheduledCareAttendance = HealthSection["unscheduledCare"][number];
export type HealthVisitorContact = HealthSection["healthVisitorContacts"][number];
export const { loadSections } = section;
