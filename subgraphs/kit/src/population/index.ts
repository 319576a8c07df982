export * from "./fixtures.ts";
export * from "./generate.ts";
export * from "./nhs-number.ts";
export * from "./prng.ts";
export * from "./names.ts";
