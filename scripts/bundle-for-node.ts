import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildOptions } from "esbuild";
import { asNodeRunsIt } from "./as-node-runs-it.ts";
import { REQUIRE_BANNER, type Relative, relocatableBanner } from "./own-location.ts";

export type { Locations } from "./own-location.ts";

/**
 * Our sources bundled for Node as they are: each file keeps its own `import.meta.url`,
 * `__dirname` and `__filename`, so the files read beside sources (schema.graphql, policies,
 * migrations) are still found, and imports resolve with Node's own conditions. Two ways:
 *
 * - `npm start`'s bundles (server-bundles.ts) name every file by its absolute path: they live in
 *   this checkout's cache and are made again whenever anything they were made from changes.
 * - The production build (build-production.ts) finds every file from where the bundle itself
 *   is, so the checkout may be built in one place and run in another (a CI job's folder, then
 *   /app in an image), and NODE_ENV is production unless set otherwise.
 */

const root = fileURLToPath(new URL("..", import.meta.url));

const fromGateway = createRequire(join(root, "gateway/package.json"));

/** Everything but the entries, the output folder and the way files are located. */
const OPTIONS = {
  bundle: true,
  platform: "node",
  format: "esm",
  // Node's resolution: `main` only, and its conditions (not esbuild's extra `module`).
  mainFields: ["main"],
  conditions: ["node-addons"],
  keepNames: true,
  sourcemap: "linked",
  sourcesContent: false,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  write: true,
  logLevel: "error",
} satisfies BuildOptions;

const loadEsbuild = async () =>
  (await import(pathToFileURL(fromGateway.resolve("esbuild")).href)) as typeof import("esbuild");

/** esbuild's own package.json: its version shapes every bundle. */
export const esbuildPackage = () => fromGateway.resolve("esbuild/package.json");

export interface BundleForNodeOptions {
  /** Output name (relative to `outdir`, no extension) -> source file. */
  entryPoints: Record<string, string>;
  outdir: string;
  /** Where relative entry points are found; the repository root unless given. */
  absWorkingDir?: string;
  /**
   * A relocatable build (see above): each file found from the bundle's own location relative to
   * `sources`, and `banner` (JavaScript) run first in every output. Every output is `depth`
   * folders below `outdir`, the code entries share in `chunks` (`gateway/dist/main` and
   * `dist/chunks` are both 2 deep), so one banner finds the sources from all of them.
   */
  relocatable?: {
    sources: string;
    depth: number;
    chunks: string;
    banner?: string;
    target?: string;
  };
}

const depthOf = (name: string) => name.split("/").length - 1;

/**
 * Bundles each entry for Node with the options above: the files it read and wrote, absolute.
 * Exported for its test, which checks a bundle does what Node does with the sources.
 */
export async function bundleForNode(
  options: BundleForNodeOptions,
): Promise<{ inputs: string[]; outputs: string[] }> {
  const base = options.absWorkingDir ?? root;
  const { relocatable } = options;
  const { build } = await loadEsbuild();
  let located: BuildOptions;
  if (relocatable) {
    const { sources, depth, chunks } = relocatable;
    const names = [...Object.keys(options.entryPoints), `${chunks}/chunk`];
    const astray = names.find((name) => depthOf(name) !== depth);
    if (astray) throw new Error(`${astray} is not ${depth} folders below the output folder`);
    const locations: Relative = { kind: "relative", sources, depth, outdir: options.outdir };
    located = {
      splitting: true,
      chunkNames: `${chunks}/[name]-[hash]`,
      target: relocatable.target ?? `node${process.versions.node}`,
      banner: { js: relocatableBanner(locations, relocatable.banner ?? "") },
      plugins: [asNodeRunsIt(locations)],
    };
  } else {
    located = {
      splitting: true,
      target: `node${process.versions.node}`,
      banner: { js: REQUIRE_BANNER },
      plugins: [asNodeRunsIt({ kind: "absolute" })],
    };
  }
  const result = await build({
    ...OPTIONS,
    ...located,
    entryPoints: options.entryPoints,
    outdir: options.outdir,
    absWorkingDir: base,
  });
  const { metafile } = result;
  if (!metafile) throw new Error("esbuild wrote no metafile");
  return {
    inputs: Object.keys(metafile.inputs).map((file) => resolve(base, file)),
    outputs: Object.keys(metafile.outputs).map((file) => resolve(base, file)),
  };
}
