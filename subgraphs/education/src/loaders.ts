import { batchLoader, type Store } from "@mash/kit";
import { type EducationDB, loadSections, unknownSection } from "./store.ts";

export const createLoaders = (store: Store<EducationDB>) => ({
  section: batchLoader((ids) => loadSections(store, ids), unknownSection),
});

export type Loaders = ReturnType<typeof createLoaders>;
