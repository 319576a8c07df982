import { batchLoader, type Store } from "@mash/kit";
import { loadSections, type ProbationDB, unknownSection } from "./store.ts";

export const createLoaders = (store: Store<ProbationDB>) => ({
  section: batchLoader((ids) => loadSections(store, ids), unknownSection),
});

export type Loaders = ReturnType<typeof createLoaders>;
