import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isFresh, readManifest, stampFiles, writeManifest } from "./build-manifest.ts";
import {
  type BuildConsoleOptions,
  type BuiltConsole,
  type BuiltGovernanceConsole,
  buildConsole,
  buildGovernanceConsole,
  DEFAULT_GOVERNANCE_OUT_DIR,
  DEFAULT_OPERATIONS_DIR,
  DEFAULT_OUT_DIR,
} from "./console-build.ts";
import { BUILD_MANIFEST_FILE } from "./dist-dirs.ts";
import { buildWorkspace, DEFAULT_WORKSPACE_OUT_DIR } from "./workspace-build.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_MANIFEST_FILE = BUILD_MANIFEST_FILE;

export interface BuildConsolesOptions extends BuildConsoleOptions {
  governanceOutDir?: string;
  /** Where the practitioners' workspace (gateway/web/workspace) is written. */
  workspaceOutDir?: string;
  /** Where the record of the last build is kept (dist/apps-build.json). */
  manifestFile?: string;
}

export interface ConsolesBuild {
  /** False when the last build's inputs are unchanged and its outputs still there. */
  rebuilt: boolean;
  console?: BuiltConsole;
  governance?: BuiltGovernanceConsole;
  ms: number;
}

const require = createRequire(import.meta.url);

/**
 * Both consoles, built only when something they are made from has changed: every file esbuild
 * read (our sources, React, GraphiQL, fonts), the contract operations, this file and esbuild's
 * version, checked by content (build-manifest.ts). `npm start` runs this on every start, so an
 * unchanged console costs a few stat calls instead of a bundle; a changed source is rebuilt.
 */
export async function buildConsolesIfChanged(
  options: BuildConsolesOptions = {},
): Promise<ConsolesBuild> {
  const started = performance.now();
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const governanceOutDir = resolve(options.governanceOutDir ?? DEFAULT_GOVERNANCE_OUT_DIR);
  const workspaceOutDir = resolve(options.workspaceOutDir ?? DEFAULT_WORKSPACE_OUT_DIR);
  const operationsDir = resolve(options.operationsDir ?? DEFAULT_OPERATIONS_DIR);
  const manifestFile = options.manifestFile ?? DEFAULT_MANIFEST_FILE;
  // A file added to the operations folder changes no recorded input, so their names are the key.
  const operationFiles = (await readdir(operationsDir))
    .filter((f) => f.endsWith(".graphql"))
    .sort();
  const key = JSON.stringify({
    outDir,
    governanceOutDir,
    workspaceOutDir,
    operationsDir,
    operationFiles,
  });
  if (await isFresh(await readManifest(manifestFile), key)) {
    return { rebuilt: false, ms: performance.now() - started };
  }
  const [built, governance, workspace] = await Promise.all([
    buildConsole({ outDir, operationsDir }),
    buildGovernanceConsole({ outDir: governanceOutDir }),
    buildWorkspace({ outDir: workspaceOutDir }),
  ]);
  const fromCwd = (file: string) => resolve(process.cwd(), file);
  const inputs = await stampFiles([
    ...built.inputs.map(fromCwd),
    ...governance.inputs.map(fromCwd),
    ...workspace.inputs.map(fromCwd),
    join(here, "workspace-build.ts"),
    join(here, "dist-dirs.ts"),
    ...operationFiles.map((file) => join(operationsDir, file)),
    // What shapes the output without esbuild reading it: this file, the build options, the pages
    // and their asset versions, how operations are read, esbuild's own version.
    fileURLToPath(import.meta.url),
    join(here, "console-build.ts"),
    join(here, "app-page.ts"),
    join(here, "browser-bundle.ts"),
    join(here, "content-hash.ts"),
    join(here, "operations.ts"),
    require.resolve("esbuild/package.json"),
  ]);
  const outputs = await stampFiles([
    ...built.files.map((file) => join(outDir, file.name)),
    ...governance.files.map((file) => join(governanceOutDir, file.name)),
    ...workspace.files.map((file) => join(workspaceOutDir, file.name)),
  ]);
  await writeManifest(manifestFile, { key, inputs, outputs, notes: {} });
  return { rebuilt: true, console: built, governance, ms: performance.now() - started };
}
