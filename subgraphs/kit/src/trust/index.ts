export * from "./body-digest.ts";
export * from "./context.ts";
export * from "./key-config.ts";
export * from "./keys.ts";
export * from "./replay-guard.ts";
export * from "./tls-config.ts";
export * from "./tls-files.ts";
