import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** One file as a build read or wrote it. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/**
 * What a build read and wrote, so the next one can be skipped when nothing it depends on has
 * changed: the console bundles (build.ts) and the servers `npm start` runs (scripts/).
 */
export interface BuildManifest {
  /** Everything the build depends on that is not a file: options, tool versions, the runtime. */
  key: string;
  /** Absolute path -> stamp, for every file the build read. */
  inputs: Record<string, FileStamp>;
  /** Absolute path -> stamp, for every file it wrote. */
  outputs: Record<string, FileStamp>;
  /** What the build's user needs to find its outputs again. */
  notes: Record<string, unknown>;
}

export async function sha256Of(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

export async function stampFiles(files: Iterable<string>): Promise<Record<string, FileStamp>> {
  const unique = [...new Set(files)].sort();
  const stamps = await Promise.all(
    unique.map(async (file) => {
      const [info, sha256] = await Promise.all([stat(file), sha256Of(file)]);
      return [file, { size: info.size, mtimeMs: info.mtimeMs, sha256 }] as const;
    }),
  );
  return Object.fromEntries(stamps);
}

/**
 * Whether the file still has the recorded content. The size and modification time stand in for
 * the content only when both are unchanged (as git's index does); any other file is hashed, so
 * a file touched but not changed keeps the build, and a changed one always loses it.
 */
async function unchanged(file: string, stamp: FileStamp): Promise<boolean> {
  try {
    const info = await stat(file);
    if (info.size !== stamp.size) return false;
    if (info.mtimeMs === stamp.mtimeMs) return true;
    return (await sha256Of(file)) === stamp.sha256;
  } catch {
    return false;
  }
}

/** True when the manifest's build was made with `key` and no file it read or wrote has changed. */
export async function isFresh(manifest: BuildManifest | undefined, key: string): Promise<boolean> {
  if (!manifest || manifest.key !== key) return false;
  const files = [...Object.entries(manifest.inputs), ...Object.entries(manifest.outputs)];
  if (files.length === 0) return false;
  const results = await Promise.all(files.map(([file, stamp]) => unchanged(file, stamp)));
  return results.every(Boolean);
}

export async function readManifest(file: string): Promise<BuildManifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<BuildManifest>;
    if (typeof parsed.key !== "string" || !parsed.inputs || !parsed.outputs) return undefined;
    return {
      key: parsed.key,
      inputs: parsed.inputs,
      outputs: parsed.outputs,
      notes: parsed.notes ?? {},
    };
  } catch {
    return undefined;
  }
}

/** Written whole or not at all: a build running beside this one never reads half a manifest. */
export async function writeManifest(file: string, manifest: BuildManifest): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(manifest)}\n`);
  await rename(temp, file);
}
