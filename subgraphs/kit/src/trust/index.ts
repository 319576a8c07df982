export * from "./context.ts";
export * from "./key-config.ts";
export * from "./keys.ts";
