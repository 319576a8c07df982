import { describeSubjectCounts } from "@mash/kit/testing";
import { loadSections, type PoliceDB } from "./declaration.ts";
import { police } from "./index.ts";

await describeSubjectCounts<PoliceDB>(police, async (store, ids) => {
  // The sections the graph serves, read for every seeded subject: an oracle apart from the SQL.
  const sections = [...(await loadSections(store, ids)).values()];
  const having = (has: (section: (typeof sections)[number]) => boolean) =>
    sections.filter(has).length;
  return {
    PoliceSection: sections.length,
    PoliceIncident: having((s) => s.incidents.length > 0),
    Intelligence: having((s) => s.intelligence.length > 0),
  };
});
