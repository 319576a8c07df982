import { describe, expect, it } from "vitest";
import { defaultSubgraphs, loadGatewayConfig, parseSubgraphUrls } from "./config.ts";

describe("gateway configuration", () => {
  it("keeps the access log in the data directory unless told otherwise", () => {
    expect(loadGatewayConfig({}).audit.store).toBeUndefined();
    expect(loadGatewayConfig({ MASH_AUDIT_FILE: "/var/mash/audit.sqlite" }).audit.store).toEqual({
      kind: "sqlite",
      file: "/var/mash/audit.sqlite",
    });
    expect(
      loadGatewayConfig({
        MASH_AUDIT_DATABASE_URL: "postgres://audit@db:5432/mash",
        MASH_AUDIT_DATABASE_SCHEMA_PREFIX: "t1_",
      }).audit.store,
    ).toEqual({ kind: "postgres", url: "postgres://audit@db:5432/mash", schema: "t1_audit" });
    expect(() => loadGatewayConfig({ MASH_AUDIT_DATABASE_URL: "mysql://x/y" })).toThrow(
      /MASH_AUDIT_DATABASE_URL/,
    );
  });

  it("reads the access log's SQLite sync and the context signing key with the rest", () => {
    expect(loadGatewayConfig({}).audit.sqliteFullSync).toBe(false);
    expect(loadGatewayConfig({ MASH_AUDIT_SQLITE_SYNC: "normal" }).audit.sqliteFullSync).toBe(
      false,
    );
    expect(loadGatewayConfig({ MASH_AUDIT_SQLITE_SYNC: "full" }).audit.sqliteFullSync).toBe(true);
    expect(loadGatewayConfig({ MASH_AUDIT_SQLITE_SYNC: "FULL" }).audit.sqliteFullSync).toBe(true);
    expect(() => loadGatewayConfig({ MASH_AUDIT_SQLITE_SYNC: "fsync" })).toThrow(
      /MASH_AUDIT_SQLITE_SYNC.*"fsync" is neither full nor normal/,
    );
    expect(loadGatewayConfig({}).contextSigningKey).toBeUndefined();
    expect(loadGatewayConfig({ MASH_CONTEXT_SIGNING_KEY: "{}" }).contextSigningKey).toBe("{}");
  });

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

  it("takes subgraph names as a foreign supergraph spells them", () => {
    expect(
      parseSubgraphUrls("Accounts=http://a/graphql,inventory_2=http://b/graphql,_x-y=http://c/"),
    ).toEqual([
      { name: "Accounts", url: "http://a/graphql" },
      { name: "inventory_2", url: "http://b/graphql" },
      { name: "_x-y", url: "http://c/" },
    ]);
  });

  it("leaves a supergraph file's subgraphs to the file unless MASH_SUBGRAPH_URLS is given", () => {
    expect(loadGatewayConfig({ MASH_SUPERGRAPH_FILE: "/tmp/s.graphql" }).subgraphs).toEqual([]);
    expect(() => loadGatewayConfig({ MASH_SUBGRAPH_URLS: " , " })).toThrow(
      /MASH_SUBGRAPH_URLS: lists no subgraphs/,
    );
  });

  it.each([
    ["PORT", { PORT: "eighty" }, /PORT: "eighty" is not a port/],
    ["name starting with a digit", { MASH_SUBGRAPH_URLS: "2a=http://x/graphql" }, /not name=url/],
    ["name with a dot", { MASH_SUBGRAPH_URLS: "a.b=http://x/graphql" }, /not name=url/],
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
    [
      "rate",
      { MASH_RATE_LIMIT_PER_MINUTE: "lots" },
      /MASH_RATE_LIMIT_PER_MINUTE: "lots" is not a positive/,
    ],
    ["rate zero", { MASH_RATE_LIMIT_PER_MINUTE: "0" }, /MASH_RATE_LIMIT_PER_MINUTE/],
    [
      "burst",
      { MASH_RATE_LIMIT_BURST: "2.5" },
      /MASH_RATE_LIMIT_BURST: "2.5" is not a whole number/,
    ],
    [
      "redis",
      { MASH_REDIS_URL: "http://u:secret@cache:6379" },
      /^MASH_REDIS_URL: is not a redis:\/\//,
    ],
  ])("names what is wrong: %s", (_, env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });

  it("limits each user to 300 requests a minute, 60 at once, in memory, by default", () => {
    expect(loadGatewayConfig({}).rateLimit).toEqual({
      perMinute: 300,
      burst: 60,
      redisUrl: undefined,
    });
    expect(
      loadGatewayConfig({
        MASH_RATE_LIMIT_PER_MINUTE: "120",
        MASH_RATE_LIMIT_BURST: "10",
        MASH_REDIS_URL: "redis://cache.internal:6379",
      }).rateLimit,
    ).toEqual({ perMinute: 120, burst: 10, redisUrl: "redis://cache.internal:6379" });
  });

  it("never repeats a bad Redis URL, which may hold a password", () => {
    expect(() => loadGatewayConfig({ MASH_REDIS_URL: "redis//u:secret@cache" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("secret") }),
    );
  });

  it("parses an empty list as empty", () => {
    expect(parseSubgraphUrls(" , ")).toEqual([]);
  });
});
