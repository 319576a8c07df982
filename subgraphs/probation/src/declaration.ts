import { child, defineSection, flag, int, type SectionDB, text } from "@mash/kit";
import { sql } from "kysely";

/** The one place the probation store's tables and columns are named. */
export const section = defineSection({
  section: "ProbationSection",
  field: "probation",
  person: {
    columns: {
      onLicence: flag("on_licence"),
      mappaLevel: int("mappa_level", {
        check: sql`mappa_level is null or mappa_level between 1 and 3`,
      }),
      riskOfSeriousHarm: text("risk_of_serious_harm"),
    },
  },
  children: {
    offences: child({
      table: "offences",
      type: "Offence",
      columns: { id: text("id"), date: text("date"), category: text("category") },
      orderBy: ["date", "id"],
    }),
  },
});

export type ProbationDB = SectionDB<typeof section.declaration>;
export const { loadSections } = section;
