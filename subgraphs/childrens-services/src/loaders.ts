import { batchLoader, type Store } from "@mash/kit";
import { type ChildrensServicesDB, loadSections, unknownSection } from "./store.ts";

export const createLoaders = (store: Store<ChildrensServicesDB>) => ({
  section: batchLoader((ids) => loadSections(store, ids), unknownSection),
});

export type Loaders = ReturnType<typeof createLoaders>;
