import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CompositionError, composeSupergraph, type SubgraphSdl } from "./compose.ts";
import {
  composeSupergraphCached,
  compositionKey,
  MAX_CACHED_COMPOSITIONS,
} from "./compose-cache.ts";
import { readSchemaFiles } from "./schema-files.ts";

const files = readSchemaFiles();
const onPorts = (base: number, host = "127.0.0.1"): SubgraphSdl[] =>
  files.map((f, i) => ({ ...f, url: `http://${host}:${base + i}/graphql` }));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mash-compose-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the composition cache (npm start)", () => {
  it("gives exactly what composition gives, on the same ports and on others", () => {
    const first = onPorts(4101);
    expect(composeSupergraphCached(first, dir)).toBe(composeSupergraph(first));
    expect(readdirSync(dir)).toHaveLength(1);
    // Answered from the entry just written, with every subgraph's URL moved.
    const moved = onPorts(52011, "localhost");
    expect(composeSupergraphCached(moved, dir)).toBe(composeSupergraph(moved));
    expect(composeSupergraphCached(first, dir)).toBe(composeSupergraph(first));
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("answers from the cache, and composes afresh when a schema changes", () => {
    const subgraphs = onPorts(4101);
    const file = join(dir, `${compositionKey(subgraphs)}.json`);
    const marked = `# from the cache\n${composeSupergraph(subgraphs)}`;
    writeFileSync(file, JSON.stringify({ urls: subgraphs.map((s) => s.url), supergraph: marked }));
    expect(composeSupergraphCached(subgraphs, dir)).toBe(marked);

    const changed = subgraphs.map((s) =>
      s.name === "police" ? { ...s, sdl: `${s.sdl}\n"""A note."""\nscalar PoliceNote\n` } : s,
    );
    expect(compositionKey(changed)).not.toBe(compositionKey(subgraphs));
    const fresh = composeSupergraphCached(changed, dir);
    expect(fresh).toBe(composeSupergraph(changed));
    expect(fresh).toContain("PoliceNote");
  });

  it("composes afresh when a URL cannot be put in place exactly", () => {
    const subgraphs = onPorts(4101);
    composeSupergraphCached(subgraphs, dir);
    const quoted = subgraphs.map((s, i) => (i === 0 ? { ...s, url: `${s.url}?a="b"` } : s));
    expect(composeSupergraphCached(quoted, dir)).toBe(composeSupergraph(quoted));
    // An entry that does not hold the directive it should is not patched blindly.
    const file = join(dir, `${compositionKey(subgraphs)}.json`);
    writeFileSync(file, JSON.stringify({ urls: subgraphs.map((s) => s.url), supergraph: "x" }));
    const moved = onPorts(4301);
    expect(composeSupergraphCached(moved, dir)).toBe(composeSupergraph(moved));
  });

  it("caches no failure: a schema that does not compose is refused every time", () => {
    const broken = onPorts(4101).map((s) =>
      s.name === "police"
        ? {
            ...s,
            sdl: s.sdl.replace("police: PoliceSection", "police: PoliceSection\n  sealed: String!"),
          }
        : s,
    );
    expect(() => composeSupergraphCached(broken, dir)).toThrow(CompositionError);
    expect(() => composeSupergraphCached(broken, dir)).toThrow(CompositionError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it(`keeps at most ${MAX_CACHED_COMPOSITIONS} compositions, dropping the least recently used`, () => {
    const subgraphs = onPorts(4101);
    const supergraph = composeSupergraph(subgraphs);
    const urls = subgraphs.map((s) => s.url);
    const old = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < MAX_CACHED_COMPOSITIONS + 4; i++) {
      const file = join(dir, `old-${String(i).padStart(2, "0")}.json`);
      writeFileSync(file, JSON.stringify({ urls, supergraph }));
      const at = new Date(old.getTime() + i * 1000);
      utimesSync(file, at, at);
    }
    composeSupergraphCached(subgraphs, dir);
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(MAX_CACHED_COMPOSITIONS);
    expect(left).toContain(`${compositionKey(subgraphs)}.json`);
    // The five oldest went (four over the bound, and room for the new one).
    expect(left.filter((name) => name.startsWith("old-"))).toEqual(
      Array.from(
        { length: MAX_CACHED_COMPOSITIONS - 1 },
        (_, i) => `old-${String(i + 5).padStart(2, "0")}.json`,
      ),
    );
    expect(JSON.parse(readFileSync(join(dir, left.at(-1) as string), "utf8")).urls).toEqual(urls);
  });
});
