import { readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type FileStamp, sha256Of } from "../gateway/web/build/build-manifest.ts";
import { root } from "./bundle-check.ts";
import type { Prepared } from "./server-bundles.ts";

/**
 * What `npm run start:prod` runs: the production build `npm run build` made (build-production.ts),
 * as its manifest lists it. A build is used only when it is of the code on disk: its bundles
 * read files beside their sources at run time (schema.graphql, migrations), so old code would
 * otherwise run against new files.
 */

/** Where a production bundle's first lines say its build's manifest is (see build-production.ts). */
export const PRODUCTION_MANIFEST = Symbol.for("mash.production.manifest");

/** Raised when what a manifest holds changes shape, so an older build is made again. */
export const MANIFEST_FORMAT = 1;

export interface ProductionManifest {
  format: typeof MANIFEST_FORMAT;
  builtAt: string;
  /** From the build's root (the manifest's folder's parent) to the sources, as a relative path. */
  sources: string;
  /** The agencies, in port order (scripts/agencies.ts). */
  agencies: string[];
  /** Entry name (`launcher`, `gateway`, `agency-<name>`, `audit-verify`, ...) -> its bundle. */
  entries: Record<string, string>;
  /** Every file the bundles were made from, relative to the sources. */
  inputs: Record<string, FileStamp>;
  /** Every file the build wrote, relative to the build's root. */
  outputs: Record<string, FileStamp>;
}

/** The manifest of a build whose root is `buildRoot`. */
export const manifestFileIn = (buildRoot: string) => join(buildRoot, "dist/production.json");

/**
 * This build's manifest: where the running bundle's first lines said (it is part of a build), or
 * the checkout's `dist/production.json` when running from source or `npm start`'s bundles.
 */
export function defaultManifestFile(): string {
  const handed = (globalThis as Record<symbol, unknown>)[PRODUCTION_MANIFEST];
  return typeof handed === "string" ? fileURLToPath(handed) : manifestFileIn(root);
}

/** Whether the file still has the recorded content (size and time, else its hash). */
async function unchanged(file: string, stamp: FileStamp): Promise<"same" | "changed" | "missing"> {
  try {
    const info = await stat(file);
    if (info.size !== stamp.size) return "changed";
    if (info.mtimeMs === stamp.mtimeMs) return "same";
    return (await sha256Of(file)) === stamp.sha256 ? "same" : "changed";
  } catch {
    return "missing";
  }
}

/** The first of `files` (relative to `base`) not as recorded, said as a problem; else undefined. */
async function firstDifference(
  base: string,
  files: Record<string, FileStamp>,
  said: (file: string) => string,
  mayBeGone: (file: string) => boolean = () => false,
): Promise<string | undefined> {
  const checked = await Promise.all(
    Object.entries(files).map(async ([file, stamp]) => ({
      file,
      state: await unchanged(resolve(base, file), stamp),
    })),
  );
  const differing = checked.filter(
    (c) => c.state !== "same" && !(c.state === "missing" && mayBeGone(c.file)),
  );
  const first = differing[0];
  if (!first) return undefined;
  const more = differing.length - 1;
  const others = more > 0 ? ` (and ${more} other file${more === 1 ? "" : "s"})` : "";
  return `${said(first.file)} ${first.state === "missing" ? "is missing" : "has changed since the build"}${others}`;
}

/**
 * A package's file the bundles were made from is in them, or was only the build's (esbuild):
 * gone after `npm prune --omit=dev`, it changes nothing that runs. Changed, the build is stale.
 */
const inPackages = (file: string) => file.split(/[\\/]/).includes("node_modules");

async function readProductionManifest(file: string): Promise<ProductionManifest | string> {
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return `${shown} is missing`;
  }
  try {
    const manifest = JSON.parse(text) as Partial<ProductionManifest>;
    if (
      manifest.format === MANIFEST_FORMAT &&
      typeof manifest.sources === "string" &&
      Array.isArray(manifest.agencies) &&
      manifest.entries &&
      manifest.inputs &&
      manifest.outputs
    )
      return manifest as ProductionManifest;
  } catch {}
  return `${shown} is not a production build's manifest of this version`;
}

/**
 * The production build's bundles, by absolute path, when the build is complete and of today's
 * sources; otherwise `kind: "sources"` with the problem (what is missing, or what changed).
 */
export async function productionBundles(
  options: { manifestFile?: string } = {},
): Promise<Prepared> {
  const started = performance.now();
  const file = options.manifestFile ?? defaultManifestFile();
  const sources = (problem: string): Prepared => ({
    kind: "sources",
    problem,
    ms: performance.now() - started,
  });
  const manifest = await readProductionManifest(file);
  if (typeof manifest === "string") return sources(manifest);
  const buildRoot = dirname(dirname(file));
  const sourceRoot = resolve(buildRoot, manifest.sources);
  const shown = (base: string) => (name: string) =>
    relative(process.cwd(), resolve(base, name)) || name;
  const problem =
    (await firstDifference(buildRoot, manifest.outputs, shown(buildRoot))) ??
    (await firstDifference(sourceRoot, manifest.inputs, shown(sourceRoot), inPackages));
  if (problem) return sources(problem);
  const entries = Object.fromEntries(
    Object.entries(manifest.entries).map(([name, bundle]) => [name, resolve(buildRoot, bundle)]),
  );
  return {
    kind: "bundles",
    bundles: { agencies: manifest.agencies, entries },
    built: false,
    ms: performance.now() - started,
  };
}
