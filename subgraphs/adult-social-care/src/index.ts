import { defineAgency, rostered, sectionAgency } from "@mash/kit";
import { section } from "./declaration.ts";
import { seed } from "./seed.ts";

export const adultSocialCare = defineAgency({
  ...rostered("adult-social-care"),
  ...sectionAgency(section, new URL("./schema.graphql", import.meta.url)),
  seed,
});
