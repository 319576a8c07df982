import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Metafile } from "esbuild";
import { contentHash } from "./content-hash.ts";

/** One app as written: its folder, its files and their sizes. */
export interface BuiltApp {
  outDir: string;
  files: { name: string; bytes: number }[];
  totalBytes: number;
}

/** What differs between the three browser apps the gateway serves. */
export interface AppPage {
  /** The URL folder the assets are served from, and the base name of the script and style. */
  readonly name: "console" | "governance" | "workspace";
  readonly title: string;
}

export const CONSOLE_PAGE: AppPage = { name: "console", title: "MASH Gateway console" };
export const GOVERNANCE_PAGE: AppPage = { name: "governance", title: "MASH governance console" };
export const WORKSPACE_PAGE: AppPage = { name: "workspace", title: "MASH workspace" };

// The `?v=` query lets the server mark assets immutable while their file names stay fixed.
function indexHtml(page: AppPage, scriptVersion: string, styleVersion: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${page.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/${page.name}/${page.name}.css?v=${styleVersion}">
<script defer src="/${page.name}/${page.name}.js?v=${scriptVersion}"></script>
</head>
<body>
<noscript>The ${page.title} needs JavaScript.</noscript>
<div id="root"></div>
</body>
</html>
`;
}

/** The files a build read, from its metafile; the contract operations' virtual module is none. */
export const inputFiles = (metafile: Metafile) =>
  Object.keys(metafile.inputs).filter((input) => !input.startsWith("mash-contract:"));

/** Writes one app's script, style and index.html; fails on any output esbuild was not asked for. */
export async function writeApp(
  page: AppPage,
  outDir: string,
  outputFiles: readonly { path: string; contents: Uint8Array }[],
): Promise<BuiltApp> {
  const outputs = new Map(outputFiles.map((file) => [basename(file.path), file.contents]));
  const script = outputs.get(`${page.name}.js`);
  const style = outputs.get(`${page.name}.css`);
  if (!script || !style || outputs.size !== 2) {
    throw new Error(`unexpected esbuild outputs: ${[...outputs.keys()].join(", ")}`);
  }
  const files: [string, Uint8Array | string][] = [
    [`${page.name}.js`, script],
    [`${page.name}.css`, style],
    ["index.html", indexHtml(page, contentHash(script), contentHash(style))],
  ];
  await mkdir(outDir, { recursive: true });
  await Promise.all(files.map(([name, body]) => writeFile(join(outDir, name), body)));

  const sizes = files.map(([name, body]) => ({ name, bytes: Buffer.byteLength(body) }));
  return {
    outDir,
    files: sizes,
    totalBytes: sizes.reduce((sum, file) => sum + file.bytes, 0),
  };
}
