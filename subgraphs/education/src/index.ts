import { defineAgency, loadSchema } from "@mash/kit";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers.ts";
import { seed } from "./seed.ts";
import { countSubjects, migrations, tables } from "./store.ts";

export const education = defineAgency({
  name: "education",
  title: "Education",
  defaultPort: 4005,
  typeDefs: loadSchema(new URL("./schema.graphql", import.meta.url)),
  migrations,
  tables,
  createLoaders,
  resolvers,
  seed,
  subjectCounts: countSubjects,
});
