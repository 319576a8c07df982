import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { FileStamp } from "../gateway/web/build/build-manifest.ts";
import { manifestFileIn } from "./production.ts";
import { SERVER_CHUNKS } from "./production-entries.ts";

/** A path with `/` separators, as the manifest keeps them. */
export const posix = (path: string) => path.split(sep).join("/");

/** Stamps keyed by path relative to `base`, so the manifest stays true wherever the build moves. */
export function relativeTo(
  base: string,
  stamps: Record<string, FileStamp>,
): Record<string, FileStamp> {
  return Object.fromEntries(
    Object.entries(stamps).map(([file, stamp]) => [posix(relative(base, file)), stamp]),
  );
}

/** Written whole or not at all, so a start beside the build never reads half of it. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 1)}\n`);
  await rename(temp, file);
}

/** What the last build wrote, relative to the build's root: none if there was none. */
export async function previousOutputs(outRoot: string): Promise<string[]> {
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
export async function pruneChunks(outRoot: string, kept: Set<string>): Promise<void> {
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
