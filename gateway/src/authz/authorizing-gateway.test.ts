import type { ApolloGateway } from "@apollo/gateway";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { AuthorizingGateway } from "./authorizing-gateway.ts";
import { api, authority, requests } from "./filter-pass.test-support.ts";

/** An ApolloGateway stand-in that answers every operation with the root's type name. */
const inner = {
  load: async () => ({
    schema: api,
    executor: async () => ({ data: { __typename: "Query" } }),
  }),
  onSchemaLoadOrUpdate: () => () => {},
} as unknown as ApolloGateway;

async function executorOf(gateway: AuthorizingGateway) {
  const loaded = await gateway.load({
    apollo: {
      key: undefined,
      keyHash: undefined,
      graphRef: undefined,
      graphId: undefined,
      graphVariant: "current",
    },
  } as never);
  return (query: string, hash: string) =>
    loaded.executor?.({
      schema: api,
      document: parse(query),
      source: query,
      queryHash: hash,
      operationName: null,
      request: { query },
      context: { authority, authorization: requests[0], outcome: {} },
    } as unknown as GatewayGraphQLRequestContext);
}

describe("the rewritten-document cache", () => {
  it("keeps at most 1,000 documents, the oldest going first", async () => {
    const gateway = new AuthorizingGateway(inner, () => authority);
    const execute = await executorOf(gateway);
    for (let i = 0; i < 1100; i++) await execute(`{ a${i}: __typename }`, `h${i}`);
    expect(gateway.cachedDocuments.count).toBe(1000);
    // The first hundred went; a document seen again is kept anew, and the count stays.
    await execute("{ a0: __typename }", "h0");
    expect(gateway.cachedDocuments.count).toBe(1000);
  });

  it("bounds the documents' summed length, and never keeps one longer than the bound", async () => {
    const gateway = new AuthorizingGateway(inner, () => authority);
    const execute = await executorOf(gateway);
    const long = (i: number) => `{ a${i}: __typename ${" ".repeat(300_000)} }`;
    for (let i = 0; i < 5; i++) await execute(long(i), `l${i}`);
    expect(gateway.cachedDocuments.characters).toBeLessThanOrEqual(1_000_000);
    expect(gateway.cachedDocuments.count).toBe(3);
    const huge = `{ a: __typename ${" ".repeat(1_100_000)} }`;
    const answer = await execute(huge, "huge");
    expect(answer).toMatchObject({ data: { a: "Query" } });
    expect(gateway.cachedDocuments.count).toBe(3);
  });
});
