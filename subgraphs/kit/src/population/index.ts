export * from "./fixtures.ts";
export * from "./generate.ts";
export * from "./names.ts";
export * from "./nhs-number.ts";
export * from "./prng.ts";
