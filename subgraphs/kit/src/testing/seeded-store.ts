import { afterAll, beforeAll } from "vitest";
import { generatePopulation } from "../population/generate.ts";
import { seedStore } from "../seed/seed-store.ts";
import type { AnyAgency } from "../server/agency.ts";
import { openStore, type Store } from "../store/open-store.ts";
import { type Backend, tempStores } from "./backends.ts";

/**
 * An agency's store on a private database, migrated and seeded before the suite's tests and
 * removed after them: the setup every store suite shares. Call inside a `describe`.
 */
export function useSeededStore<DB>(
  agency: AnyAgency,
  backend: Backend,
  subjects = 300,
): () => Store<DB> {
  const temp = tempStores(backend);
  let store: Store<DB> | undefined;
  beforeAll(async () => {
    store = await openStore<DB>({
      agency: agency.name,
      config: temp.configFor(agency.name),
      migrations: agency.migrations,
    });
    await seedStore(agency, store, generatePopulation({ subjects }));
  });
  afterAll(async () => {
    await store?.close();
    await temp.cleanup();
  });
  return () => {
    if (!store) throw new Error("the store is opened in beforeAll");
    return store;
  };
}
