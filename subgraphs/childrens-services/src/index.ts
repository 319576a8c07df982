import { defineAgency, loadSchema } from "@mash/kit";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers.ts";
import { seed } from "./seed.ts";
import { countSubjects, migrations, tables } from "./store.ts";

export const childrensServices = defineAgency({
  name: "childrens-services",
  title: "Children's social care",
  defaultPort: 4003,
  typeDefs: loadSchema(new URL("./schema.graphql", import.meta.url)),
  migrations,
  tables,
  createLoaders,
  resolvers,
  seed,
  subjectCounts: countSubjects,
});
