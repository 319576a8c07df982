import { describeSubjectCounts } from "@mash/kit/testing";
import { type HealthDB, loadSections } from "./declaration.ts";
import { health } from "./index.ts";

await describeSubjectCounts<HealthDB>(health, async (store, ids) => {
  // The sections the graph serves, read for every seeded subject: an oracle apart from the SQL.
  const sections = [...(await loadSections(store, ids)).values()];
  const having = (has: (section: (typeof sections)[number]) => boolean) =>
    sections.filter(has).length;
  return {
    HealthSection: sections.length,
    GpPractice: having((s) => s.gpPractice !== null),
    UnscheduledCareAttendance: having((s) => s.unscheduledCare.length > 0),
    MentalHealth: having((s) => s.mentalHealth !== null),
    HealthVisitorContact: having((s) => s.healthVisitorContacts.length > 0),
    Maternity: having((s) => s.maternity !== null),
  };
});
