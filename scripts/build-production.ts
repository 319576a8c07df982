import { rm } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildConsolesIfChanged } from "../gateway/web/build/build.ts";
import { stampFiles } from "../gateway/web/build/build-manifest.ts";
import { root } from "./bundle-check.ts";
import { bundleForNode } from "./bundle-for-node.ts";
import {
  MANIFEST_FORMAT,
  manifestFileIn,
  PRODUCTION_MANIFEST,
  type ProductionManifest,
} from "./production.ts";
import { entriesOf, nodeTarget } from "./production-entries.ts";
import {
  posix,
  previousOutputs,
  pruneChunks,
  relativeTo,
  writeJson,
} from "./production-outputs.ts";
import { agencyNames, shapingFiles } from "./server-bundles.ts";

/**
 * `npm run build`'s servers: the launcher, the gateway, each agency and the operators'
 * command-line tools, each bundled into plain JavaScript in its workspace's `dist/` (the code
 * they share in `dist/chunks`), run by plain `node` with
 * NODE_ENV=production, no tsx; and the consoles, if changed. Made as `npm start`'s bundles are
 * (bundle-for-node.ts), but relocatable: each bundle finds the files beside its sources from
 * where it is, so the checkout may be built in one folder and run from another. The manifest,
 * `dist/production.json`, lists the entries and every file they were made from, so that
 * `npm run start:prod` runs a build only while it is of the code on disk (production.ts).
 */

/** Run first in every bundle: production unless told otherwise, and where its manifest is. */
function productionBanner(depth: number): string {
  const manifest = `${"../".repeat(depth)}dist/production.json`;
  return [
    // Run as a production build, it is production unless NODE_ENV says otherwise out loud.
    'if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";',
    `globalThis[Symbol.for(${JSON.stringify(PRODUCTION_MANIFEST.description)})] = new URL(${JSON.stringify(manifest)}, import.meta.url).href;`,
  ].join("\n");
}

export interface ProductionBuild {
  manifestFile: string;
  /** Entry name -> its bundle, absolute. */
  entries: Record<string, string>;
  agencies: string[];
  /** Every file written (bundles, the chunks they share, source maps), absolute. */
  outputs: string[];
  /** The JavaScript's size: bundles and chunks, not source maps. */
  bytes: number;
  ms: number;
}

export interface BuildProductionOptions {
  /**
   * Where the workspaces' `dist/` folders and `dist/production.json` go; the repository by
   * default. Another folder (a test's) gets the same layout, reading files beside the sources
   * here.
   */
  outRoot?: string;
}

export async function buildProduction(
  options: BuildProductionOptions = {},
): Promise<ProductionBuild> {
  const started = performance.now();
  const outRoot = resolve(options.outRoot ?? root);
  const manifestFile = manifestFileIn(outRoot);
  const previous = await previousOutputs(outRoot);
  // A build that fails half-way must not leave the last manifest vouching for its files.
  await rm(manifestFile, { force: true });
  const agencies = await agencyNames();
  const entries = entriesOf(agencies);
  const target = await nodeTarget();
  // One esbuild run per chunk folder: the gateway's side, and the agencies' (a folder deeper,
  // as their entries are).
  const groups = new Map<string, Record<string, string>>();
  for (const { source, outName, chunks } of Object.values(entries))
    groups.set(chunks, { ...groups.get(chunks), [outName]: source });
  const [built] = await Promise.all([
    Promise.all(
      [...groups].map(([chunks, entryPoints]) => {
        const depth = chunks.split("/").length;
        return bundleForNode({
          entryPoints,
          outdir: outRoot,
          relocatable: { sources: root, depth, chunks, banner: productionBanner(depth), target },
        });
      }),
    ),
    // The consoles the gateway serves, beside its sources as `npm start` has them (a no-op when
    // current): in production nothing is compiled at start.
    buildConsolesIfChanged(),
  ]);
  const inputs = await stampFiles([
    ...built.flatMap((b) => b.inputs),
    ...shapingFiles(agencies),
    // How the bundles are made is part of what they are.
    fileURLToPath(import.meta.url),
    fileURLToPath(new URL("./production-entries.ts", import.meta.url)),
    fileURLToPath(new URL("./bundle-for-node.ts", import.meta.url)),
    fileURLToPath(new URL("./as-node-runs-it.ts", import.meta.url)),
    fileURLToPath(new URL("./own-location.ts", import.meta.url)),
    fileURLToPath(new URL("./package-type.ts", import.meta.url)),
  ]);
  const outputs = await stampFiles(built.flatMap((b) => b.outputs));
  const bundleOf = (outName: string) => `${outName}.mjs`;
  const manifest: ProductionManifest = {
    format: MANIFEST_FORMAT,
    builtAt: new Date().toISOString(),
    sources: posix(relative(outRoot, root)) || ".",
    agencies,
    entries: Object.fromEntries(
      Object.entries(entries).map(([name, { outName }]) => [name, bundleOf(outName)]),
    ),
    inputs: relativeTo(root, inputs),
    outputs: relativeTo(outRoot, outputs),
  };
  await writeJson(manifestFile, manifest);
  await pruneChunks(outRoot, new Set([...Object.keys(manifest.outputs), ...previous]));
  const absolute = Object.fromEntries(
    Object.entries(manifest.entries).map(([name, bundle]) => [name, resolve(outRoot, bundle)]),
  );
  const outputFiles = Object.keys(outputs);
  const bytes = Object.entries(outputs)
    .filter(([file]) => file.endsWith(".mjs"))
    .reduce((sum, [, stamp]) => sum + stamp.size, 0);
  return {
    manifestFile,
    entries: absolute,
    agencies,
    outputs: outputFiles,
    bytes,
    ms: performance.now() - started,
  };
}

async function main(): Promise<void> {
  const build = await buildProduction();
  const from = (file: string) => relative(process.cwd(), file) || file;
  const width = Math.max(...Object.keys(build.entries).map((name) => name.length));
  process.stdout.write(
    [
      `Production build: ${Object.keys(build.entries).length} entries, ${(build.bytes / 1_000_000).toFixed(1)} MB of JavaScript, in ${(build.ms / 1000).toFixed(1)} s.`,
      ...Object.entries(build.entries).map(
        ([name, file]) => `  ${name.padEnd(width)}  ${from(file)}`,
      ),
      `  ${"manifest".padEnd(width)}  ${from(build.manifestFile)}`,
      "Run it with `npm run start:prod` (every process), or one entry with `node <bundle>`.",
      "",
    ].join("\n"),
  );
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(resolve(entry)).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`Production build failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
