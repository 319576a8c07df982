import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuiltApp, WORKSPACE_PAGE, writeApp } from "./app-page.ts";
import { BROWSER_BUNDLE } from "./browser-bundle.ts";
import { DIST_DIRS } from "./dist-dirs.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WORKSPACE_OUT_DIR = DIST_DIRS.workspace;
const ENTRY = resolve(here, "../workspace/app.tsx");

export interface BuiltWorkspace extends BuiltApp {
  /** Every file esbuild read, relative to the working directory (esbuild's metafile). */
  inputs: string[];
}

/**
 * The practitioners' workspace (this folder), served at /workspace: React, the typed kit and
 * plain CSS in one minified script and one style sheet, as the consoles are bundled.
 */
export async function buildWorkspace(options: { outDir?: string } = {}): Promise<BuiltWorkspace> {
  const outDir = resolve(options.outDir ?? DEFAULT_WORKSPACE_OUT_DIR);
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: { workspace: ENTRY },
    outdir: outDir,
    ...BROWSER_BUNDLE,
    logLevel: "warning",
    metafile: true,
  });
  const written = await writeApp(WORKSPACE_PAGE, outDir, result.outputFiles);
  return {
    ...written,
    inputs: Object.keys(result.metafile.inputs),
  };
}
