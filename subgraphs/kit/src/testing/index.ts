export * from "./backends.ts";
export * from "./context.ts";
export * from "./seeded-store.ts";
