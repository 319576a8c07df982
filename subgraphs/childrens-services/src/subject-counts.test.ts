import { describeSubjectCounts } from "@mash/kit/testing";
import { type ChildrensServicesDB, loadSections } from "./declaration.ts";
import { childrensServices } from "./index.ts";

await describeSubjectCounts<ChildrensServicesDB>(childrensServices, async (store, ids) => {
  // The sections the graph serves, read for every seeded subject: an oracle apart from the SQL.
  const sections = [...(await loadSections(store, ids)).values()];
  const having = (has: (section: (typeof sections)[number]) => boolean) =>
    sections.filter(has).length;
  return {
    SocialCareSection: sections.length,
    AllocatedWorker: having((s) => s.allocatedWorker !== null),
    ChildProtectionPlan: having((s) => s.childProtectionPlan !== null),
    CaseNote: having((s) => s.caseNotes.length > 0),
  };
});
