import { defineAgency, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const adultSocialCare = defineAgency({
  name: "adult-social-care",
  title: "Adult social care",
  defaultPort: 4007,
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
