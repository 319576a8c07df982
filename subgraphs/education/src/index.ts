import { defineAgency, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const education = defineAgency({
  name: "education",
  title: "Education",
  defaultPort: 4005,
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
