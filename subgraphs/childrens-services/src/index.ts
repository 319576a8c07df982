import { defineAgency, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const childrensServices = defineAgency({
  name: "childrens-services",
  title: "Children's social care",
  defaultPort: 4003,
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
