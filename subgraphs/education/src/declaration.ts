import { child, defineSection, flag, object, real, type SectionDB, text } from "@mash/kit";

/**
 * The one place the education store's tables and columns are named. School and SEND are one to
 * one, so they live on the person row; null when not recorded.
 */
export const section = defineSection({
  section: "EducationSection",
  field: "education",
  person: {
    columns: {
      school: object("School", { name: text("school_name"), urn: text("school_urn") }, [
        "name",
        "urn",
      ]),
      attendancePercent: real("attendance_percent"),
      send: object("SendSupport", { status: text("send_status") }, ["status"]),
      missingEducation: flag("missing_education"),
    },
  },
  children: {
    exclusions: child({
      table: "exclusions",
      type: "Exclusion",
      columns: { id: text("id"), date: text("date"), kind: text("kind"), reason: text("reason") },
      orderBy: ["date", "id"],
    }),
  },
});

export type EducationDB = SectionDB<typeof section.declaration>;
export const { loadSections } = section;
