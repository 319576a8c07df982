export * from "./graphql-handler.ts";
export * from "./listen.ts";
export * from "./read-body.ts";
export * from "./respond.ts";
