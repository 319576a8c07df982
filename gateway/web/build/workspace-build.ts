import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BROWSER_BUNDLE } from "./browser-bundle.ts";
import { contentHash } from "./content-hash.ts";
import { DIST_DIRS } from "./dist-dirs.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WORKSPACE_OUT_DIR = DIST_DIRS.workspace;
const ENTRY = resolve(here, "../workspace/app.tsx");

export interface BuiltWorkspace {
  outDir: string;
  files: { name: string; bytes: number }[];
  totalBytes: number;
  /** Every file esbuild read, relative to the working directory (esbuild's metafile). */
  inputs: string[];
}

// The `?v=` query lets the server mark assets immutable while their names stay fixed.
function indexHtml(scriptVersion: string, styleVersion: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>MASH workspace</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/workspace/workspace.css?v=${styleVersion}">
<script defer src="/workspace/workspace.js?v=${scriptVersion}"></script>
</head>
<body>
<noscript>The MASH workspace needs JavaScript.</noscript>
<div id="root"></div>
</body>
</html>
`;
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
  const outputs = new Map(result.outputFiles.map((file) => [basename(file.path), file.contents]));
  const script = outputs.get("workspace.js");
  const style = outputs.get("workspace.css");
  if (!script || !style || outputs.size !== 2) {
    throw new Error(`unexpected esbuild outputs: ${[...outputs.keys()].join(", ")}`);
  }
  const files: [string, Uint8Array | string][] = [
    ["workspace.js", script],
    ["workspace.css", style],
    ["index.html", indexHtml(contentHash(script), contentHash(style))],
  ];
  await mkdir(outDir, { recursive: true });
  await Promise.all(files.map(([name, body]) => writeFile(join(outDir, name), body)));
  const sizes = files.map(([name, body]) => ({ name, bytes: Buffer.byteLength(body) }));
  return {
    outDir,
    files: sizes,
    totalBytes: sizes.reduce((sum, file) => sum + file.bytes, 0),
    inputs: Object.keys(result.metafile.inputs),
  };
}
