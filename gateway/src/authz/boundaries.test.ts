import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  codeFiles,
  importCircles,
  isTestCode,
  relativeImportsOf,
  repoRoot,
} from "../code-graph.test-support.ts";

/** Our code: the gateway, its browser apps, the agencies and their kit, the clients, the launcher. */
const CODE_FOLDERS = ["gateway/src", "gateway/web", "subgraphs", "clients", "scripts"];
const allCode = () => CODE_FOLDERS.flatMap(codeFiles);

/** The engine: the sharing rules and their enforcement, without the command-line tools over it. */
const isEngine = (file: string) =>
  file.startsWith("gateway/src/authz/") && !file.startsWith("gateway/src/authz/cli/");

/** What the engine must never depend on: it is handed what it needs through its own types. */
const OUTSIDE_THE_ENGINE = ["gateway/src/server/", "gateway/src/audit/", "gateway/src/governance/"];

/**
 * Where the environment may be read: each process's entry (`main.ts`), the command-line tools,
 * the launcher (`scripts/`), and tests. Everything else is handed its settings, parsed by the
 * concern's own parser from the `env` an entry point gives it.
 */
const isEntryPoint = (file: string) =>
  /(^|\/)main\.ts$/.test(file) ||
  /(^|[/-])cli\.ts$/.test(file) ||
  file.startsWith("gateway/src/authz/cli/") ||
  file.startsWith("scripts/");

/**
 * The only writes to the environment, each because a library we use reads nothing else:
 * @apollo/gateway decides in its constructor, from this variable alone, whether to report usage
 * to Apollo (a safeguarding hub sends nothing out); Apollo Server and React pick their
 * production behaviour from NODE_ENV, which a production bundle sets when run bare.
 */
const ALLOWED_WRITES: Readonly<Record<string, readonly string[]>> = {
  "gateway/src/server/apollo-telemetry.ts": ["APOLLO_TELEMETRY_DISABLED"],
  "scripts/build-production.ts": ["NODE_ENV"],
  "scripts/start.mjs": ["NODE_ENV"],
};

// A quoted mention (an esbuild define, a banner written into a bundle) is not a read here.
/** About 200 lines at most (issue 17); a file past this says why, in a comment of its own. */
const MOST_LINES = 250;
const LONGER_BECAUSE = "// Longer than most because ";

const READS = /(?<!["'`])\bprocess\.env\b/;
const WRITES =
  /\bprocess\.env(?:\.(\w+)|\[\s*["'`]?(\w+)["'`]?\s*\])\s*(?:=(?!=)|\?\?=|\|\|=)|delete\s+process\.env|Object\.assign\(\s*process\.env/g;

describe("boundaries of the code", () => {
  it("has no import circle anywhere, type-only imports included", () => {
    const circles = importCircles(allCode().filter((file) => !isTestCode(file)));
    expect(circles.map((circle) => circle.join(" <-> "))).toEqual([]);
  });

  it("keeps the engine free of the server, the access log and governance", () => {
    const reaches: string[] = [];
    for (const file of allCode().filter((f) => isEngine(f) && !isTestCode(f))) {
      for (const target of relativeImportsOf(file)) {
        if (OUTSIDE_THE_ENGINE.some((folder) => target.startsWith(folder)))
          reaches.push(`${file} imports ${target}`);
      }
    }
    expect(reaches).toEqual([]);
  });

  it("reads the environment only in entry points, command-line tools and tests", () => {
    const readers = allCode().filter(
      (file) =>
        !isEntryPoint(file) &&
        !isTestCode(file) &&
        !(file in ALLOWED_WRITES) &&
        READS.test(readFileSync(join(repoRoot, file), "utf8")),
    );
    expect(readers).toEqual([]);
  });

  it("writes the environment nowhere but where a library reads nothing else", () => {
    const writes: string[] = [];
    for (const file of allCode().filter((f) => !isTestCode(f))) {
      const text = readFileSync(join(repoRoot, file), "utf8");
      for (const m of text.matchAll(WRITES)) {
        const name = m[1] ?? m[2] ?? "(the whole environment)";
        if (!ALLOWED_WRITES[file]?.includes(name)) writes.push(`${file} writes ${name}`);
      }
    }
    expect(writes).toEqual([]);
  });

  it("keeps files small, or says why one is not", () => {
    const long = allCode()
      .filter((file) => !isTestCode(file) && !file.endsWith(".mjs"))
      .filter((file) => {
        const text = readFileSync(join(repoRoot, file), "utf8");
        return text.split("\n").length > MOST_LINES && !text.includes(LONGER_BECAUSE);
      });
    expect(long).toEqual([]);
  });

  it("sees what it checks (each rule would catch a breach)", () => {
    const files = allCode();
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain("gateway/src/main.ts");
    expect(relativeImportsOf("gateway/src/authz/boundaries.test.ts")).toContain(
      "gateway/src/code-graph.test-support.ts",
    );
    const graph: Record<string, string[]> = { a: ["b"], b: ["c"], c: ["a"], d: ["a"] };
    expect(importCircles(Object.keys(graph), (f) => graph[f] ?? [])).toEqual([["a", "b", "c"]]);
    expect("process.env.X = 1".match(WRITES)?.length).toBe(1);
    expect('process.env["X"] ??= "1"'.match(WRITES)?.length).toBe(1);
    expect("process.env.X === 1".match(WRITES)).toBeNull();
    expect(isEntryPoint("gateway/src/audit/purge-cli.ts")).toBe(true);
    expect(isEntryPoint("gateway/src/audit/purge.ts")).toBe(false);
  });
});
