import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stampFiles } from "../../gateway/web/build/build-manifest.ts";
import { bundleForNode } from "../../scripts/bundle-for-node.ts";
import {
  MANIFEST_FORMAT,
  type ProductionManifest,
  productionBundles,
} from "../../scripts/production.ts";

// The production build's two promises beyond `npm start`'s bundles: a checkout built in one
// folder runs from another, and `npm run start:prod` runs a build only while it is of the code
// on disk. Both on small stand-ins, so nothing here depends on the repository's own sources.

const dir = mkdtempSync(join(tmpdir(), "mash-production-bundles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTree(base: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, name)), { recursive: true });
    writeFileSync(join(base, name), text);
  }
}

describe("a relocatable bundle", () => {
  it("finds the files beside its sources and its native packages where the checkout now is", async () => {
    const built = join(dir, "built-here");
    writeTree(built, {
      "package.json": JSON.stringify({ type: "module" }),
      "src/main.ts": `
        import { readFileSync } from "node:fs";
        import { fileURLToPath } from "node:url";
        import cjs from "cjs-dep";
        import native from "better-sqlite3";
        import tool from "bin-dep";
        // In a chunk of its own, in another folder than the entry's.
        const { lazy } = await import("./lazy/beside.ts");
        const here: string = fileURLToPath(import.meta.url);
        console.log(JSON.stringify({
          here,
          dirname: import.meta.dirname,
          beside: readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"),
          cjs,
          native,
          tool,
          lazy,
          nodeEnv: process.env.NODE_ENV,
        }));
      `,
      "src/schema.graphql": "type Query { ok: Boolean }",
      "src/lazy/beside.ts": `
        import { readFileSync } from "node:fs";
        export const lazy = readFileSync(new URL("./data.txt", import.meta.url), "utf8");
      `,
      "src/lazy/data.txt": "read from a chunk",
      "node_modules/cjs-dep/package.json": JSON.stringify({ main: "index.js" }),
      "node_modules/cjs-dep/index.js": `"use strict";
        module.exports = {
          dir: __dirname,
          strict: (function () { return this === undefined; })(),
        };`,
      // A command's module, whose first line must stay first.
      "node_modules/bin-dep/package.json": JSON.stringify({ type: "module", main: "cli.js" }),
      "node_modules/bin-dep/cli.js": "#!/usr/bin/env node\nexport default import.meta.url;",
      // Left out of every bundle (as native code is) and found from the bundle at run time.
      "node_modules/better-sqlite3/package.json": JSON.stringify({ main: "lib/index.js" }),
      "node_modules/better-sqlite3/lib/index.js": "module.exports = { dir: __dirname };",
    });
    await bundleForNode({
      entryPoints: { "app/dist/main": "src/main.ts" },
      outdir: built,
      absWorkingDir: built,
      relocatable: {
        sources: built,
        depth: 2,
        chunks: "app/chunks",
        banner: 'if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";',
      },
    });
    const bundle = "app/dist/main.mjs";
    const chunks = readdirSync(join(built, "app/chunks")).filter((f) => f.endsWith(".mjs"));
    expect(chunks.length).toBeGreaterThan(0);
    for (const file of [bundle, ...chunks.map((chunk) => `app/chunks/${chunk}`)])
      expect(readFileSync(join(built, file), "utf8")).not.toContain(built);

    const moved = join(dir, "moved-there");
    renameSync(built, moved);
    const env = { ...process.env, NODE_ENV: "" };
    const output = JSON.parse(
      execFileSync(process.execPath, [join(moved, bundle)], { cwd: dir, env, encoding: "utf8" }),
    );
    expect(output).toEqual({
      here: join(moved, "src/main.ts"),
      dirname: join(moved, "src"),
      beside: "type Query { ok: Boolean }",
      cjs: { dir: join(moved, "node_modules/cjs-dep"), strict: true },
      native: { dir: join(moved, "node_modules/better-sqlite3/lib") },
      tool: `file://${join(moved, "node_modules/bin-dep/cli.js")}`,
      lazy: "read from a chunk",
      nodeEnv: "production",
    });
  });
});

describe("the build npm run start:prod runs", () => {
  /** A build of one entry from one source file, as build-production.ts records it. */
  async function fakeBuild(name: string) {
    const base = join(dir, name);
    const buildRoot = join(base, "build");
    const sourceRoot = join(base, "sources");
    writeTree(sourceRoot, {
      "gateway/src/main.ts": "export const version = 1;",
      "node_modules/esbuild/package.json": '{"version":"0.25.0"}',
    });
    writeTree(buildRoot, { "gateway/dist/main.mjs": "export const version = 1;" });
    const keyed = async (root: string, file: string) =>
      Object.fromEntries(
        Object.entries(await stampFiles([join(root, file)])).map(([path, stamp]) => [
          relative(root, path),
          stamp,
        ]),
      );
    const manifest: ProductionManifest = {
      format: MANIFEST_FORMAT,
      builtAt: new Date().toISOString(),
      sources: relative(buildRoot, sourceRoot),
      agencies: ["mash", "police"],
      entries: { gateway: "gateway/dist/main.mjs" },
      inputs: {
        ...(await keyed(sourceRoot, "gateway/src/main.ts")),
        ...(await keyed(sourceRoot, "node_modules/esbuild/package.json")),
      },
      outputs: await keyed(buildRoot, "gateway/dist/main.mjs"),
    };
    const manifestFile = join(buildRoot, "dist/production.json");
    writeTree(buildRoot, { "dist/production.json": JSON.stringify(manifest) });
    const tool = join(sourceRoot, "node_modules/esbuild/package.json");
    return { manifestFile, source: join(sourceRoot, "gateway/src/main.ts"), buildRoot, tool };
  }

  const problemOf = async (manifestFile: string) => {
    const found = await productionBundles({ manifestFile });
    return found.kind === "sources" ? found.problem : undefined;
  };

  it("is the manifest's entries, by absolute path, while nothing has changed", async () => {
    const { manifestFile, source, buildRoot } = await fakeBuild("current");
    // Touched but not changed (a fresh clone, a copy): still the build of these sources.
    utimesSync(source, new Date(), new Date(Date.now() + 60_000));
    expect(await productionBundles({ manifestFile })).toMatchObject({
      kind: "bundles",
      bundles: {
        agencies: ["mash", "police"],
        entries: { gateway: join(buildRoot, "gateway/dist/main.mjs") },
      },
    });
  });

  // `npm ci --omit=dev` (or `npm prune --omit=dev`) removes the build's tools: nothing that runs.
  it("is still the build once a package it was made from is pruned, but not once one changed", async () => {
    const { manifestFile, tool } = await fakeBuild("pruned");
    rmSync(tool);
    expect((await productionBundles({ manifestFile })).kind).toBe("bundles");
    writeTree(dirname(dirname(dirname(tool))), {
      "node_modules/esbuild/package.json": '{"version":"0.26.0"}',
    });
    expect(await problemOf(manifestFile)).toMatch(
      /esbuild\/package\.json has changed since the build$/,
    );
  });

  it("is refused when a source has changed since the build, naming it", async () => {
    const { manifestFile, source } = await fakeBuild("stale");
    writeFileSync(source, "export const version = 2;");
    expect(await problemOf(manifestFile)).toMatch(
      /sources\/gateway\/src\/main\.ts has changed since the build$/,
    );
  });

  it("is refused when a bundle is missing, naming it", async () => {
    const { manifestFile, buildRoot } = await fakeBuild("incomplete");
    rmSync(join(buildRoot, "gateway/dist/main.mjs"));
    expect(await problemOf(manifestFile)).toMatch(/build\/gateway\/dist\/main\.mjs is missing$/);
  });

  it("is refused when there is no manifest, or one of another shape", async () => {
    const missing = join(dir, "never-built/dist/production.json");
    expect(await problemOf(missing)).toMatch(/dist\/production\.json is missing$/);
    const { manifestFile } = await fakeBuild("other-format");
    writeFileSync(manifestFile, JSON.stringify({ format: 0, entries: {} }));
    expect(await problemOf(manifestFile)).toMatch(
      /production\.json is not a production build's manifest of this version$/,
    );
  });
});
