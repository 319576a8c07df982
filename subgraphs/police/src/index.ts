import { defineAgency, loadSchema } from "@mash/kit";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers.ts";
import { seed } from "./seed.ts";
import { countSubjects, migrations, tables } from "./store.ts";

export const police = defineAgency({
  name: "police",
  title: "Police",
  defaultPort: 4002,
  typeDefs: loadSchema(new URL("./schema.graphql", import.meta.url)),
  migrations,
  tables,
  createLoaders,
  resolvers,
  seed,
  subjectCounts: countSubjects,
});
