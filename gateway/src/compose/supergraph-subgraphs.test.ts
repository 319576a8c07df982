import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultSubgraphs, loadGatewayConfig } from "../config.ts";
import { createSubgraphTransport } from "../transport/subgraph-transport.ts";
import { composeSupergraph } from "./compose.ts";
import { loadSupergraph } from "./load-supergraph.ts";
import { supergraphFile } from "./schema-files.ts";
import { graphsOfSupergraph, resolveSubgraphUrls } from "./supergraph-subgraphs.ts";

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`;
// Names as another team might spell them: upper case, digits, underscores, hyphens.
const foreign = composeSupergraph([
  {
    name: "Accounts",
    url: "http://127.0.0.1:5101/graphql",
    sdl: `${link}\ntype Query { me: User }\ntype User @key(fields: "id") { id: ID! name: String }`,
  },
  {
    name: "inventory_2",
    url: "",
    sdl: `${link}\ntype User @key(fields: "id") { id: ID! items: [String] }`,
  },
]);

const dir = mkdtempSync(join(tmpdir(), "mash-supergraph-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe("the subgraphs a supergraph names", () => {
  it("reads names and URLs as @join__graph spells them", () => {
    expect(graphsOfSupergraph(foreign)).toEqual([
      { name: "Accounts", url: "http://127.0.0.1:5101/graphql" },
      { name: "inventory_2", url: undefined },
    ]);
    expect(
      graphsOfSupergraph(readFileSync(supergraphFile, "utf8"))
        .map((g) => g.name)
        .sort(),
    ).toEqual(defaultSubgraphs.map((s) => s.name).sort());
  });

  it("follows a join spec imported under another name", () => {
    const sdl = `schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", as: "j", for: EXECUTION) { query: Query }
enum j__Graph { A @j__graph(name: "a", url: "http://a/graphql") }
type Query { x: Int }`;
    expect(graphsOfSupergraph(sdl)).toEqual([{ name: "a", url: "http://a/graphql" }]);
  });

  it("lays MASH_SUBGRAPH_URLS over the recorded URLs", () => {
    expect(
      resolveSubgraphUrls(
        graphsOfSupergraph(foreign),
        [{ name: "inventory_2", url: "http://stock:8080/graphql" }],
        "s.graphql",
      ),
    ).toEqual([
      { name: "Accounts", url: "http://127.0.0.1:5101/graphql" },
      { name: "inventory_2", url: "http://stock:8080/graphql" },
    ]);
  });

  it.each([
    [
      "a subgraph with no URL anywhere",
      [],
      /^MASH_SUBGRAPH_URLS: has no URL for subgraph "inventory_2", and s\.graphql records no usable one/,
    ],
    [
      "a name the supergraph lacks (case matters)",
      [
        { name: "accounts", url: "http://a/graphql" },
        { name: "inventory_2", url: "http://b/graphql" },
      ],
      /^MASH_SUBGRAPH_URLS: names "accounts", which s\.graphql does not have; its subgraphs are "Accounts", "inventory_2"/,
    ],
  ])("refuses %s, naming MASH_SUBGRAPH_URLS", (_, configured, message) => {
    expect(() => resolveSubgraphUrls(graphsOfSupergraph(foreign), configured, "s.graphql")).toThrow(
      message,
    );
  });

  it("refuses a recorded URL that is not http(s)", () => {
    const sdl = foreign.replace("http://127.0.0.1:5101/graphql", "file:///etc/passwd");
    expect(() =>
      resolveSubgraphUrls(
        graphsOfSupergraph(sdl),
        [{ name: "inventory_2", url: "http://b/graphql" }],
        "s.graphql",
      ),
    ).toThrow(/"Accounts" \(recorded as "file:\/\/\/etc\/passwd", not http\(s\)\)/);
  });
});

describe("loading a supergraph file", () => {
  const sign = async () => "unused";
  // A file needs no subgraph to be asked, so nothing goes through the transport.
  const load = (env: Record<string, string>) =>
    loadSupergraph(loadGatewayConfig(env), sign, createSubgraphTransport());

  it("routes to every subgraph of a foreign file", async () => {
    const file = write("foreign.graphql", foreign);
    const loaded = await load({
      MASH_SUPERGRAPH_FILE: file,
      MASH_SUBGRAPH_URLS: "inventory_2=http://127.0.0.1:5102/graphql",
    });
    expect(loaded.source).toBe(file);
    expect(loaded.subgraphs).toEqual([
      { name: "Accounts", url: "http://127.0.0.1:5101/graphql" },
      { name: "inventory_2", url: "http://127.0.0.1:5102/graphql" },
    ]);
  });

  it("routes our own file to the URLs it records when MASH_SUBGRAPH_URLS is unset", async () => {
    const loaded = await load({ MASH_SUPERGRAPH_FILE: supergraphFile });
    expect([...loaded.subgraphs].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [...defaultSubgraphs].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it.each([
    ["a missing file", () => join(dir, "absent.graphql"), /^MASH_SUPERGRAPH_FILE: cannot read/],
    [
      "not GraphQL",
      () => write("bad.graphql", "type {"),
      /^MASH_SUPERGRAPH_FILE: .* is not GraphQL/,
    ],
    [
      "a plain schema",
      () => write("plain.graphql", "type Query { x: Int }"),
      /^MASH_SUPERGRAPH_FILE: .* is not a federation supergraph/,
    ],
  ])("names MASH_SUPERGRAPH_FILE for %s", async (_, file, message) => {
    await expect(load({ MASH_SUPERGRAPH_FILE: file() })).rejects.toThrow(message);
  });
});
