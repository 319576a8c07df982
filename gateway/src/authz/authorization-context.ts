import type { GatewayContext } from "../request/context.ts";
import type { Authority } from "./ability.ts";

/** Where the request context carries authorization: set by the pipeline's stages, read here. */
export type AuthorizationContext = GatewayContext<Authority>;
