import { describeSubjectCounts } from "@mash/kit/testing";
import { type AdultSocialCareDB, loadSections } from "./declaration.ts";
import { adultSocialCare } from "./index.ts";

await describeSubjectCounts<AdultSocialCareDB>(adultSocialCare, async (store, ids) => {
  // The sections the graph serves, read for every seeded subject: an oracle apart from the SQL.
  const sections = [...(await loadSections(store, ids)).values()];
  const having = (has: (section: (typeof sections)[number]) => boolean) =>
    sections.filter(has).length;
  return {
    AdultSocialCareSection: sections.length,
    SafeguardingEnquiry: having((s) => s.safeguardingEnquiries.length > 0),
  };
});
