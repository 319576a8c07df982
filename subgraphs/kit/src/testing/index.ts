export * from "./backends.ts";
export * from "./context.ts";
export * from "./initial-migration.ts";
export * from "./running-subgraph.ts";
export * from "./seeded-store.ts";
export * from "./subject-counts.ts";
