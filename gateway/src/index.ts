export { Authority } from "./authz/ability.ts";
export { WITHHELD } from "./authz/judge.ts";
export { loadPolicies } from "./authz/policy/load.ts";
export { PolicyError } from "./authz/policy/types.ts";
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
