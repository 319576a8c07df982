import type { SubgraphContext } from "@mash/kit";
import type { Loaders } from "./loaders.ts";
import type { MashSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

/** What every hub resolver is handed: its own file, so resolver modules need not import each other. */
export type Context = SubgraphContext<MashDB, Loaders, MashSettings>;
