import { batchLoader, type Store } from "@mash/kit";
import { type AdultSocialCareDB, loadSections, unknownSection } from "./store.ts";

export const createLoaders = (store: Store<AdultSocialCareDB>) => ({
  section: batchLoader((ids) => loadSections(store, ids), unknownSection),
});

export type Loaders = ReturnType<typeof createLoaders>;
