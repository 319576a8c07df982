import { batchLoader, type Store } from "@mash/kit";
import { type HealthDB, loadSections, unknownSection } from "./store.ts";

export const createLoaders = (store: Store<HealthDB>) => ({
  section: batchLoader((ids) => loadSections(store, ids), unknownSection),
});

export type Loaders = ReturnType<typeof createLoaders>;
