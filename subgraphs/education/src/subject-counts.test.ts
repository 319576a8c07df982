import { describeSubjectCounts } from "@mash/kit/testing";
import { type EducationDB, loadSections } from "./declaration.ts";
import { education } from "./index.ts";

await describeSubjectCounts<EducationDB>(education, async (store, ids) => {
  // The sections the graph serves, read for every seeded subject: an oracle apart from the SQL.
  const sections = [...(await loadSections(store, ids)).values()];
  const having = (has: (section: (typeof sections)[number]) => boolean) =>
    sections.filter(has).length;
  return {
    EducationSection: sections.length,
    School: having((s) => s.school !== null),
    Exclusion: having((s) => s.exclusions.length > 0),
    SendSupport: having((s) => s.send !== null),
  };
});
