import { defineAgency, loadSchema, rostered } from "@mash/kit";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers.ts";
import { seed } from "./seed.ts";
import { loadSettings } from "./settings.ts";
import { migrations, tables } from "./store.ts";
import { countSubjects } from "./subject-counts.ts";

/** The hub itself: subjects, households, enquiries and search. */
export const mash = defineAgency({
  ...rostered("mash"),
  typeDefs: loadSchema(new URL("./schema.graphql", import.meta.url)),
  migrations,
  tables,
  settings: loadSettings,
  createLoaders,
  resolvers,
  seed,
  subjectCounts: countSubjects,
});
