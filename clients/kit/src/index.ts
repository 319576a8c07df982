/**
 * The frontend kit for the MASH graph: a typed document for every operation of
 * gateway/operations (generated against gateway/api-schema.graphql by `npm run codegen`), a small
 * client that sends them with the purpose headers, and helpers for the error contract.
 */
export type { TypedDocumentNode } from "@graphql-typed-document-node/core";
export { type BreakGlassHeader, breakGlassHeader, MIN_BREAK_GLASS_REASON } from "./break-glass.ts";
export {
  type ClientOptions,
  createClient,
  type MashClient,
  type MashResult,
  type RequestOptions,
} from "./client.ts";
export {
  AGENCY_UNAVAILABLE,
  type ContactPoint,
  isWithheld,
  type PathSegment,
  pathOf,
  type UnavailableAgency,
  unavailableAgencies,
  WITHHELD,
  type WithheldField,
  withheldFields,
} from "./error-contract.ts";
export {
  BadRequestError,
  ForbiddenError,
  MashRequestError,
  RateLimitedError,
  type RefusalFacts,
  UnauthenticatedError,
} from "./errors.ts";
export * from "./generated/operations.ts";
