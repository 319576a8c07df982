import { defineAgency, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const probation = defineAgency({
  name: "probation",
  title: "Probation",
  defaultPort: 4006,
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
