import { readdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { stampFiles, writeManifest } from "../gateway/web/build/build-manifest.ts";
import { ROSTER } from "../subgraphs/kit/src/roster.ts";
import {
  bundlesKey,
  cacheDir,
  currentBundles,
  manifestFile,
  root,
  type ServerBundles,
} from "./bundle-check.ts";
import { bundleForNode, esbuildPackage } from "./bundle-for-node.ts";

// The test of the bundles' behaviour imports it from here, where `npm start`'s bundles are made.
export { bundleForNode };

/**
 * What `npm start` runs: the launcher, the gateway and each agency's entry, each bundled with
 * everything it imports into one plain JavaScript file under node_modules/.cache/mash/start.
 * Through tsx, every process spends over a second of CPU on its hooks (a module at a time,
 * across a worker thread) before our first line runs; eight at once on two cores was most of
 * the start. The code is the same: sources are bundled as they are, each file keeping its own
 * `import.meta.url`, `__dirname` and `__filename`, resolved with Node's own conditions. Bundles
 * are made again whenever any file they were made from changes (build-manifest.ts).
 */

/** How scripts/start.mjs hands the launcher the bundles it found current (it checked them). */
export const BUNDLES_HANDED_OVER = Symbol.for("mash.start.bundles");

/** The builds kept: one being started from may be a build or two behind the newest. */
const KEEP_BUILDS = 3;

/** The agencies, in port order (the roster). */
export async function agencyNames(): Promise<string[]> {
  return ROSTER.map((agency) => agency.name);
}

/** Removes all but the newest builds; one still starting keeps its files for a while. */
async function pruneBuilds(keep: string): Promise<void> {
  const dir = join(cacheDir, "builds");
  const builds = await Promise.all(
    (await readdir(dir)).map(async (name) => ({
      path: join(dir, name),
      mtimeMs: (await stat(join(dir, name))).mtimeMs,
    })),
  );
  const old = builds
    .filter((build) => build.path !== keep)
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(KEEP_BUILDS - 1);
  await Promise.all(old.map((build) => rm(build.path, { recursive: true, force: true })));
}

/** What shapes a bundle besides the files esbuild read: compiler options, packages, esbuild. */
export function shapingFiles(agencies: string[]): string[] {
  const tsconfigs = [
    "tsconfig.json",
    "gateway/tsconfig.json",
    ...agencies.map((name) => `subgraphs/${name}/tsconfig.json`),
    "subgraphs/kit/tsconfig.json",
  ];
  return [
    ...[
      ...tsconfigs,
      // A package added or moved changes where an import resolves, not the importing file.
      "package-lock.json",
    ].map((file) => resolve(root, file)),
    esbuildPackage(),
  ];
}

export async function buildServerBundles(): Promise<ServerBundles> {
  const agencies = await agencyNames();
  const entryPoints: Record<string, string> = {
    launcher: "scripts/start.ts",
    checker: "scripts/bundle-check.ts",
    gateway: "gateway/src/main.ts",
  };
  for (const name of agencies) entryPoints[`agency-${name}`] = `subgraphs/${name}/src/main.ts`;
  const outdir = join(cacheDir, "builds", `${Date.now()}-${process.pid}`);
  const built = await bundleForNode({ entryPoints, outdir });
  const entries = Object.fromEntries(
    Object.keys(entryPoints).map((name) => [name, join(outdir, `${name}.mjs`)]),
  );
  const inputs = await stampFiles([...built.inputs, ...shapingFiles(agencies)]);
  const outputs = await stampFiles(built.outputs);
  const bundles: ServerBundles = { agencies, entries };
  await writeManifest(manifestFile, {
    key: bundlesKey(),
    inputs,
    outputs,
    notes: { ...bundles, builtAt: new Date().toISOString() },
  });
  await pruneBuilds(outdir).catch(() => {});
  return bundles;
}

export type Prepared =
  | { kind: "bundles"; bundles: ServerBundles; built: boolean; ms: number }
  | { kind: "sources"; problem: string; ms: number };

/** The current bundles, made again first when any source has changed. */
export async function prepareServerBundles(): Promise<Prepared> {
  const started = performance.now();
  const current = await currentBundles();
  if (current) {
    return {
      kind: "bundles",
      bundles: current.bundles,
      built: false,
      ms: performance.now() - started,
    };
  }
  try {
    const bundles = await buildServerBundles();
    return { kind: "bundles", bundles, built: true, ms: performance.now() - started };
  } catch (error) {
    return { kind: "sources", problem: (error as Error).message, ms: performance.now() - started };
  }
}
