import { child, defineSection, type SectionDB, text } from "@mash/kit";

/** The one place the adult social care store's tables and columns are named. */
export const section = defineSection({
  section: "AdultSocialCareSection",
  field: "adultSocialCare",
  person: { columns: { careNeeds: text("care_needs") } },
  children: {
    safeguardingEnquiries: child({
      table: "safeguarding_enquiries",
      type: "SafeguardingEnquiry",
      columns: {
        id: text("id"),
        openedAt: text("opened_at"),
        concern: text("concern"),
        status: text("status"),
      },
      orderBy: ["openedAt", "id"],
    }),
  },
});

export type AdultSocialCareDB = SectionDB<typeof section.declaration>;
export const { loadSections } = section;
