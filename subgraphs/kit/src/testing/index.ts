export * from "./backends.ts";
export * from "./seeded-store.ts";
