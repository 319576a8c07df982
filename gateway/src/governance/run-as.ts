import { randomUUID } from "node:crypto";
import type { ApolloServer } from "@apollo/server";
import type { GatewayContext } from "../server/request-auth.ts";
import type { RunAs } from "./simulate.ts";

/**
 * A simulation is a real enforcement run through the gateway (plan, guard, fetch, filter) under
 * the given policy, as the given role. It is marked internal: the governance request that asked
 * for it is the one recorded, and shadow mode does not count it as traffic.
 */
export function runAsThrough(apollo: ApolloServer<GatewayContext>): RunAs {
  return async (query, variables, as) => {
    const response = await apollo.executeOperation(
      { query, variables },
      {
        contextValue: {
          requestId: randomUUID(),
          principal: { id: "(simulation)", name: "simulation", agency: undefined, roles: as.roles },
          enquiryId: undefined,
          breakGlassReason: undefined,
          authorization: as.authorization,
          internal: { authority: as.authority },
          audited: true,
        },
      },
    );
    if (response.body.kind !== "single") throw new Error("A simulation cannot be incremental.");
    return response.body.singleResult as Awaited<ReturnType<RunAs>>;
  };
}
