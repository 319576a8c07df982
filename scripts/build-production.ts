import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildConsolesIfChanged } from "../gateway/web/build/build.ts";
import { type FileStamp, stampFiles } from "../gateway/web/build/build-manifest.ts";
import { root } from "./bundle-check.ts";
import { bundleForNode } from "./bundle-for-node.ts";
import {
  MANIFEST_FORMAT,
  manifestFileIn,
  PRODUCTION_MANIFEST,
  type ProductionManifest,
} from "./production.ts";
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

interface Entry {
  source: string;
  /** The bundle is `<outRoot>/<outName>.mjs`. */
  outName: string;
  /** Where the code it shares with the other entries of its group goes (as deep as they are). */
  chunks: string;
}

const SERVER_CHUNKS = "dist/chunks";
const AGENCY_CHUNKS = "dist/chunks/agencies";

/** Each bundle's source, by entry name. */
function entriesOf(agencies: string[]): Record<string, Entry> {
  const server = (source: string, outName: string) => ({ source, outName, chunks: SERVER_CHUNKS });
  const entries: Record<string, Entry> = {
    launcher: server("scripts/start.ts", "scripts/dist/start"),
    gateway: server("gateway/src/main.ts", "gateway/dist/main"),
    // What an operator runs against a production gateway's stores; `token` is development only.
    "audit-verify": server("gateway/src/audit/cli.ts", "gateway/dist/audit-verify"),
    "audit-purge": server("gateway/src/audit/purge-cli.ts", "gateway/dist/audit-purge"),
    "audit-reconcile": server("gateway/src/audit/reconcile-cli.ts", "gateway/dist/audit-reconcile"),
    "policies-check": server("gateway/src/authz/cli/check.ts", "gateway/dist/policies-check"),
  };
  for (const name of agencies) {
    entries[`agency-${name}`] = {
      source: `subgraphs/${name}/src/main.ts`,
      outName: `subgraphs/${name}/dist/main`,
      chunks: AGENCY_CHUNKS,
    };
  }
  return entries;
}

/** The oldest Node.js the repository supports (package.json `engines`), as esbuild's target. */
async function nodeTarget(): Promise<string> {
  const pkg = JSON.parse(await readFile(resolve(root, "package.json"), "utf8")) as {
    engines?: { node?: string };
  };
  const least = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines?.node ?? "")?.[1];
  return `node${least ?? process.versions.node}`;
}

/** Run first in every bundle: production unless told otherwise, and where its manifest is. */
function productionBanner(depth: number): string {
  const manifest = `${"../".repeat(depth)}dist/production.json`;
  return [
    // Run as a production build, it is production unless NODE_ENV says otherwise out loud.
    'if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";',
    `globalThis[Symbol.for(${JSON.stringify(PRODUCTION_MANIFEST.description)})] = new URL(${JSON.stringify(manifest)}, import.meta.url).href;`,
  ].join("\n");
}

const posix = (path: string) => path.split(sep).join("/");

/** Stamps keyed by path relative to `base`, so the manifest stays true wherever the build moves. */
function relativeTo(base: string, stamps: Record<string, FileStamp>): Record<string, FileStamp> {
  return Object.fromEntries(
    Object.entries(stamps).map(([file, stamp]) => [posix(relative(base, file)), stamp]),
  );
}

/** Written whole or not at all, so a start beside the build never reads half of it. */
async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 1)}\n`);
  await rename(temp, file);
}

/** What the last build wrote, relative to the build's root: none if there was none. */
async function previousOutputs(outRoot: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(manifestFileIn(outRoot), "utf8")) as {
      outputs?: Record<string, unknown>;
    };
    return Object.keys(manifest.outputs ?? {});
  } catch {
    return [];
  }
}

/**
 * Chunks are named by their content, so each build adds its own. Those of this build and the
 * last are kept: servers still running the last one load some of theirs only when first needed.
 */
async function pruneChunks(outRoot: string, kept: Set<string>): Promise<void> {
  const dir = resolve(outRoot, SERVER_CHUNKS);
  const files = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  await Promise.all(
    files
      .filter((file) => file.isFile())
      .map((file) => join(file.parentPath, file.name))
      .filter((file) => !kept.has(posix(relative(outRoot, file))))
      .map((file) => rm(file, { force: true })),
  );
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
    fileURLToPath(new URL("./bundle-for-node.ts", import.meta.url)),
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
