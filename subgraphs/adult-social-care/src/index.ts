import { defineAgency, loadSchema } from "@mash/kit";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers.ts";
import { seed } from "./seed.ts";
import { countSubjects, migrations, tables } from "./store.ts";

export const adultSocialCare = defineAgency({
  name: "adult-social-care",
  title: "Adult social care",
  defaultPort: 4007,
  typeDefs: loadSchema(new URL("./schema.graphql", import.meta.url)),
  migrations,
  tables,
  createLoaders,
  resolvers,
  seed,
  subjectCounts: countSubjects,
});
