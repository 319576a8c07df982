import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildManifest, isFresh, readManifest } from "../gateway/web/build/build-manifest.ts";

/**
 * Whether the bundles `npm start` runs (server-bundles.ts) are those of today's sources. Bundled
 * itself (as checker.mjs) so scripts/start.mjs can ask before any TypeScript is loaded.
 */
export const root = fileURLToPath(new URL("..", import.meta.url));
export const cacheDir = join(root, "node_modules/.cache/mash/start");
export const manifestFile = join(cacheDir, "manifest.json");

/** What a bundle depends on beyond its files: the Node.js that runs it and where it lives. */
export function bundlesKey(): string {
  return JSON.stringify({
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    root,
  });
}

export interface ServerBundles {
  /** The agencies, in port order (scripts/agencies.ts). */
  agencies: string[];
  /** Entry name (`launcher`, `gateway`, `agency-<name>`) -> its bundle. */
  entries: Record<string, string>;
}

/** The bundles, when they are current; undefined when they must be made again. */
export async function currentBundles(): Promise<
  { manifest: BuildManifest; bundles: ServerBundles } | undefined
> {
  const manifest = await readManifest(manifestFile);
  if (!(await isFresh(manifest, bundlesKey())) || !manifest) return undefined;
  const bundles = manifest.notes as Partial<ServerBundles>;
  if (!Array.isArray(bundles.agencies) || !bundles.entries) return undefined;
  return { manifest, bundles: { agencies: bundles.agencies, entries: bundles.entries } };
}
