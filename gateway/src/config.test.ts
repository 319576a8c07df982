import { describe, expect, it } from "vitest";
import { defaultSubgraphs, loadGatewayConfig, parseSubgraphUrls } from "./config.ts";

describe("gateway configuration", () => {
  it("defaults to the seven local subgraphs on port 4000", () => {
    const config = loadGatewayConfig({});
    expect(config.port).toBe(4000);
    expect(config.subgraphs).toEqual(defaultSubgraphs);
    expect(config.supergraphFile).toBeUndefined();
  });

  it("reads subgraph URLs, port and supergraph file", () => {
    const config = loadGatewayConfig({
      PORT: "4400",
      MASH_SUBGRAPH_URLS: "mash=http://hub:9001/graphql, police=https://police.example/graphql",
      MASH_SUPERGRAPH_FILE: "/tmp/s.graphql",
    });
    expect(config.port).toBe(4400);
    expect(config.subgraphs).toEqual([
      { name: "mash", url: "http://hub:9001/graphql" },
      { name: "police", url: "https://police.example/graphql" },
    ]);
    expect(config.supergraphFile).toBe("/tmp/s.graphql");
  });

  it.each([
    ["PORT", { PORT: "eighty" }, /PORT: "eighty" is not a port/],
    ["no name", { MASH_SUBGRAPH_URLS: "http://x/graphql" }, /not name=url/],
    [
      "twice",
      { MASH_SUBGRAPH_URLS: "mash=http://a/graphql,mash=http://b/graphql" },
      /names subgraph "mash" twice/,
    ],
    [
      "bad URL",
      { MASH_SUBGRAPH_URLS: "mash=ftp://a" },
      /URL for "mash" \("ftp:\/\/a"\) is not an http/,
    ],
    ["timeout", { MASH_SUBGRAPH_TIMEOUT_MS: "-5" }, /MASH_SUBGRAPH_TIMEOUT_MS/],
  ])("names what is wrong: %s", (_, env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });

  it("parses an empty list as empty", () => {
    expect(parseSubgraphUrls(" , ")).toEqual([]);
  });
});
