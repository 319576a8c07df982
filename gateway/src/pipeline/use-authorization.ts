import type { Authority } from "../authz/ability.ts";
import { searchAccessFor } from "../authz/match-rules.ts";
import { ServiceUnavailable } from "../errors/catalogue.ts";
import type { GatewayContext } from "../request/context.ts";
import type { Stage } from "./pipeline.ts";

/**
 * The policy this request is judged with, taken once: rewrite, plan guard, filter and whom a
 * search may match all read this one, so a publication landing mid-request cannot split it.
 * No policy, no request (fail closed).
 */
export function useAuthorization(
  authority: () => Authority | undefined,
): Stage<GatewayContext<Authority>> {
  return {
    name: "authorization",
    onRequest(request) {
      const context = request.context;
      const policy = authority();
      if (!context?.authorization || !policy)
        throw new ServiceUnavailable(
          "AUTHORIZATION_UNAVAILABLE",
          "Authorization is not available; no data is returned.",
        );
      const authorization = context.authorization;
      context.authority = policy;
      context.searchAccess = (subgraph) => searchAccessFor(policy, authorization, subgraph);
      return undefined;
    },
  };
}
