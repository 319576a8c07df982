export type { AuditEntry, AuditRecord } from "./audit/record.ts";
export { type AuditLog, type AuditStore, openAuditStore } from "./audit/store.ts";
export { verifyChain } from "./audit/verify.ts";
export { Authority } from "./authz/ability.ts";
export { AUDIT_UNAVAILABLE } from "./authz/authorizing-gateway.ts";
export { WITHHELD } from "./authz/judge.ts";
export { narrowedFetches } from "./authz/narrow-fetch.ts";
export { loadPolicies } from "./authz/policy/load.ts";
export { PolicyError } from "./authz/policy/types.ts";
export { rawResults, rawResultsAvailable } from "./authz/raw-results.ts";
export { CompositionError, composeSupergraph } from "./compose/compose.ts";
export { readSchemaFiles, supergraphFile } from "./compose/schema-files.ts";
export { defaultSubgraphs, type GatewayConfig, loadGatewayConfig } from "./config.ts";
export { type IdentityConfig, loadIdentityConfig } from "./identity/config.ts";
export { loadDevSigningKey } from "./identity/dev-keys.ts";
export { devUsers, signDevToken } from "./identity/dev-tokens.ts";
export {
  DEVELOPMENT_IDENTITY_WARNING,
  type GatewayOptions,
  type RunningGateway,
  startGateway,
} from "./server/start-gateway.ts";
