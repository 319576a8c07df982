import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { relativeImportsOf, repoRoot } from "../code-graph.test-support.ts";
import { sourceFiles } from "../source-files.test-support.ts";

const src = fileURLToPath(new URL("..", import.meta.url));

/** Every relative import of a file, type-only ones included, as paths under src. */
const importsOf = (file: string): string[] =>
  relativeImportsOf(relative(repoRoot, file)).map((target) =>
    relative(src, join(repoRoot, target)),
  );

/** The folder a path under src belongs to ("authz", "audit", ...); top-level files are their own. */
const folderOf = (path: string) => path.split("/")[0] as string;

/** Folder -> the folders its files import. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(src)) {
    const from = folderOf(relative(src, file));
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** The request path's folders: none may reach back to one it is reached from. */
const REQUEST_PATH = [
  "request",
  "errors",
  "identity",
  "limits",
  "authz",
  "audit",
  "pipeline",
  "server",
];

describe("module boundaries on the request path", () => {
  it("keeps the request's shared types and the error catalogue leaves: they import nothing of the gateway", () => {
    for (const leaf of ["request", "errors"]) {
      const files = sourceFiles(join(src, leaf));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(importsOf(file), relative(src, file)).toEqual([]);
    }
  });

  it("has no import circle between authz, audit, pipeline and server (type-only imports included)", () => {
    const graph = folderGraph();
    const circles: string[] = [];
    const within = (folder: string) => REQUEST_PATH.includes(folder);
    const walk = (start: string, at: string, path: string[], seen: Set<string>) => {
      for (const next of graph.get(at) ?? []) {
        if (!within(next)) continue;
        if (next === start) circles.push([...path, next].join(" -> "));
        else if (!seen.has(next)) {
          seen.add(next);
          walk(start, next, [...path, next], seen);
        }
      }
    };
    for (const folder of REQUEST_PATH) walk(folder, folder, [folder], new Set());
    expect(circles).toEqual([]);
  });

  it("sees the imports it checks (the test would catch a circle)", () => {
    const graph = folderGraph();
    expect(graph.get("server")?.has("pipeline")).toBe(true);
    expect(graph.get("pipeline")?.has("audit")).toBe(true);
    expect(graph.get("authz")?.has("request")).toBe(true);
  });
});
