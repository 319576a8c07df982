import { createHash } from "node:crypto";
import { createLogger } from "@mash/kit";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Authority } from "../authz/ability.ts";
import { composeSupergraph } from "../compose/compose.ts";
import { readSchemaFiles } from "../compose/schema-files.ts";
import type { GatewayContext } from "../request/context.ts";
import { createSubgraphTransport } from "../transport/subgraph-transport.ts";
import { createApolloServer } from "./apollo-server.ts";
import { documentStore, MAX_DOCUMENTS, MAX_QUERY_PLANS, queryPlanStore } from "./bounded-store.ts";
import { createFederation } from "./federation.ts";

describe("the document store", () => {
  it("keeps a bounded number of documents, least recently used out", async () => {
    const store = documentStore({ max: 3 });
    for (const k of ["a", "b", "c"]) await store.set(k, parse(`{ ${k}: __typename }`));
    await store.get("a");
    await store.set("d", parse("{ d: __typename }"));
    expect(store.size).toBe(3);
    expect(await store.get("b")).toBeUndefined();
    expect(await store.get("a")).toBeDefined();
  });

  it("keeps documents within a bound on their source characters", async () => {
    const store = documentStore({ maxSize: 100 });
    const text = (i: number) => `{ n${String(i).padStart(4, "0")}: __typename }`; // 22 characters
    for (let i = 0; i < 50; i++) await store.set(String(i), parse(text(i)));
    expect(store.totalSize).toBeLessThanOrEqual(100);
    expect(store.size).toBe(4);
    expect(await store.get("49")).toBeDefined();
  });
});

describe("Apollo's own stores in the gateway", () => {
  // ApolloServer over ApolloGateway as the gateway runs them, on the real supergraph; the
  // operations below need no subgraph (only __typename), so nothing is fetched.
  const documents = documentStore();
  const queryPlans = queryPlanStore();
  const logger = createLogger("test", "silent");
  const federation = createFederation({
    supergraphSdl: composeSupergraph(readSchemaFiles()),
    urlOf: new Map(),
    sign: async () => "unused",
    transport: createSubgraphTransport(),
    timeoutMs: 1000,
    logger,
    metrics: { observeFetch: () => {} },
    queryPlans,
  });
  const server = createApolloServer({
    served: federation.gateway,
    validation: undefined,
    forgetPurposes: () => {},
    announcePurposeChange: async () => {},
    logger,
    documents,
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it(`keep ${MAX_DOCUMENTS} documents and ${MAX_QUERY_PLANS} plans at most, however many documents come`, async () => {
    const run = async (query: string) => {
      // Nothing here reads the context: the authorizing gateway is not in this test.
      const contextValue = {} as GatewayContext<Authority>;
      const response = await server.executeOperation({ query }, { contextValue });
      expect(response.body.kind === "single" && response.body.singleResult.errors).toBeFalsy();
    };
    for (let i = 0; i < MAX_QUERY_PLANS + 100; i++) {
      await run(`{ n${i}: __typename }`);
      await run("{ kept: __typename }"); // asked all along: never the least recently used
    }
    expect(documents.size).toBe(MAX_DOCUMENTS);
    expect(queryPlans.size).toBe(MAX_QUERY_PLANS);
    // Both stores key by the text's SHA-256 (documents behind a schema hash).
    const hash = (query: string) => createHash("sha256").update(query).digest("hex");
    const kept = hash("{ kept: __typename }");
    const first = hash("{ n0: __typename }");
    expect(queryPlans.keys()).toContain(kept);
    expect(queryPlans.keys()).not.toContain(first);
    expect(documents.keys().some((k) => k.endsWith(kept))).toBe(true);
    expect(documents.keys().some((k) => k.endsWith(first))).toBe(false);
  });
});
