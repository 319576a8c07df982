import { defineAgency, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const police = defineAgency({
  name: "police",
  title: "Police",
  defaultPort: 4002,
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
