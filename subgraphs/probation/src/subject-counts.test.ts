import { describeSubjectCounts } from "@mash/kit/testing";
import { loadSections, type ProbationDB } from "./declaration.ts";
import { probation } from "./index.ts";

await describeSubjectCounts<ProbationDB>(probation, async (store, ids) => {
  // The sections the graph serves, read for every seeded subject: an oracle apart from the SQL.
  const sections = [...(await loadSections(store, ids)).values()];
  const having = (has: (section: (typeof sections)[number]) => boolean) =>
    sections.filter(has).length;
  return {
    ProbationSection: sections.length,
    Offence: having((s) => s.offences.length > 0),
  };
});
