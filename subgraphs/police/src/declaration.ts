import { child, defineSection, flag, type SectionDB, text } from "@mash/kit";

/** The one place the police store's tables and columns are named, and the fields they serve. */
export const section = defineSection({
  section: "PoliceSection",
  field: "police",
  person: { columns: {} },
  children: {
    warningMarkers: child({
      table: "warning_markers",
      columns: { marker: text("marker") },
      key: ["marker"],
      orderBy: ["marker"],
      value: "marker",
    }),
    incidents: child({
      table: "incidents",
      type: "PoliceIncident",
      columns: {
        id: text("id"),
        occurredAt: text("occurred_at"),
        category: text("category"),
        summary: text("summary"),
        childPresent: flag("child_present"),
      },
      orderBy: ["occurredAt"],
    }),
    intelligence: child({
      table: "intelligence",
      type: "Intelligence",
      columns: {
        id: text("id"),
        grading: text("grading"),
        handlingCode: text("handling_code"),
        summary: text("summary"),
        source: text("source"),
      },
      orderBy: ["id"],
    }),
  },
});

export type PoliceDB = SectionDB<typeof section.declaration>;
export const { loadSections } = section;
