import { batchLoader, type Store } from "@mash/kit";
import { loadSections, type PoliceDB, unknownSection } from "./store.ts";

export const createLoaders = (store: Store<PoliceDB>) => ({
  section: batchLoader((ids) => loadSections(store, ids), unknownSection),
});

export type Loaders = ReturnType<typeof createLoaders>;
