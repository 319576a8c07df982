export * from "./gate.ts";
export * from "./operation-facts.ts";
export * from "./read-served-log.ts";
export * from "./served-log.ts";
export * from "./table.ts";
