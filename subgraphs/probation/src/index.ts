import { defineAgency, loadSchema } from "@mash/kit";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers.ts";
import { seed } from "./seed.ts";
import { countSubjects, migrations, tables } from "./store.ts";

export const probation = defineAgency({
  name: "probation",
  title: "Probation",
  defaultPort: 4006,
  typeDefs: loadSchema(new URL("./schema.graphql", import.meta.url)),
  migrations,
  tables,
  createLoaders,
  resolvers,
  seed,
  subjectCounts: countSubjects,
});
