import { defineAgency, rostered, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const education = defineAgency({
  ...rostered("education"),
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
