export { CompositionError, composeSupergraph } from "./compose/compose.ts";
export { readSchemaFiles, supergraphFile } from "./compose/schema-files.ts";
export { defaultSubgraphs, type GatewayConfig, loadGatewayConfig } from "./config.ts";
export {
  DEVELOPMENT_ONLY_WARNING,
  type RunningGateway,
  startGateway,
} from "./server/start-gateway.ts";
