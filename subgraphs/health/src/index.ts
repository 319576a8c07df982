import { defineAgency, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const health = defineAgency({
  name: "health",
  title: "Health (NHS)",
  defaultPort: 4004,
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
