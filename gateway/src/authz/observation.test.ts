import type { ApolloGateway } from "@apollo/gateway";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { AuthorizingGateway } from "./authorizing-gateway.ts";
import { api, authority, requests } from "./filter-pass.test-support.ts";
import type { Observation } from "./observation.ts";

/** An ApolloGateway stand-in that answers every operation with the root's type name. */
const inner = {
  load: async () => ({
    schema: api,
    executor: async () => ({ data: { __typename: "Query" } }),
  }),
  onSchemaLoadOrUpdate: () => () => {},
} as unknown as ApolloGateway;

describe("shadow observation", () => {
  it("shows each answered request to shadow mode after the answer, with what was fetched", async () => {
    const seen: Observation[] = [];
    const gateway = new AuthorizingGateway(
      inner,
      () => authority,
      (o) => seen.push(o),
    );
    const loaded = await gateway.load({ apollo: { graphVariant: "current" } } as never);
    const query = "{ a: __typename }";
    const answer = await loaded.executor?.({
      schema: api,
      document: parse(query),
      source: query,
      queryHash: "h",
      operationName: null,
      request: { query },
      context: { authority, authorization: requests[0], outcome: {} },
    } as unknown as GatewayGraphQLRequestContext);
    expect(answer).toMatchObject({ data: { a: "Query" } });
    // Off the response path: not yet when the answer is given, soon after.
    expect(seen).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.live).toBe(authority);
    expect(seen[0]?.authorization).toBe(requests[0]);
    expect(seen[0]?.fetched).toEqual({ data: { __typename: "Query" } });
  });
});
