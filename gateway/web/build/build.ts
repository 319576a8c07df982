import { mkdir, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Metafile, Plugin } from "esbuild";
import { BROWSER_BUNDLE } from "./browser-bundle.ts";
import { isFresh, readManifest, stampFiles, writeManifest } from "./build-manifest.ts";
import { contentHash } from "./content-hash.ts";
import { BUILD_MANIFEST_FILE, DIST_DIRS } from "./dist-dirs.ts";
import type { ContractOperation } from "./operations.ts";
import { buildWorkspace, DEFAULT_WORKSPACE_OUT_DIR } from "./workspace-build.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = DIST_DIRS.console;
/** The contract operations the console offers as tabs: the gateway's own folder. */
export const DEFAULT_OPERATIONS_DIR = resolve(here, "../../operations");
export const DEFAULT_GOVERNANCE_OUT_DIR = DIST_DIRS.governance;
const GOVERNANCE_ENTRY = resolve(here, "../governance/app.tsx");
const OPERATIONS_MODULE = "mash:contract-operations";
export const DEFAULT_MANIFEST_FILE = BUILD_MANIFEST_FILE;

// Loaded when a build runs, not when a check finds the bundles current (npm start's usual case).
const esbuild = () => import("esbuild");
const operationsOf = async (dir: string) => (await import("./operations.ts")).loadOperations(dir);

export interface BuildConsoleOptions {
  outDir?: string;
  operationsDir?: string;
}

export interface BuiltConsole {
  outDir: string;
  files: { name: string; bytes: number }[];
  totalBytes: number;
  operations: string[];
  /** Every file esbuild read, relative to the working directory (esbuild's metafile). */
  inputs: string[];
}

/** Serves the contract operations to app.tsx as a JSON module, read fresh on every build. */
function contractOperationsPlugin(operations: ContractOperation[]): Plugin {
  return {
    name: "mash-contract-operations",
    setup(context) {
      context.onResolve({ filter: /^mash:contract-operations$/ }, () => ({
        path: OPERATIONS_MODULE,
        namespace: "mash-contract",
      }));
      context.onLoad({ filter: /.*/, namespace: "mash-contract" }, () => ({
        contents: JSON.stringify(operations),
        loader: "json",
      }));
    },
  };
}

/** What differs between the two browser apps the gateway serves. */
interface AppPage {
  /** The URL folder the assets are served from, and the base name of the script and style. */
  readonly name: "console" | "governance";
  readonly title: string;
}

const CONSOLE_PAGE: AppPage = { name: "console", title: "MASH Gateway console" };
const GOVERNANCE_PAGE: AppPage = { name: "governance", title: "MASH governance console" };

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
const inputFiles = (metafile: Metafile) =>
  Object.keys(metafile.inputs).filter((input) => !input.startsWith("mash-contract:"));

export async function buildConsole(options: BuildConsoleOptions = {}): Promise<BuiltConsole> {
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const operations = await operationsOf(options.operationsDir ?? DEFAULT_OPERATIONS_DIR);
  const { build } = await esbuild();
  const result = await build({
    entryPoints: { console: resolve(here, "../console/app.tsx") },
    outdir: outDir,
    ...BROWSER_BUNDLE,
    // Everything GraphiQL's CSS points at goes inline: no font or image request leaves the page.
    loader: {
      ".woff": "dataurl",
      ".woff2": "dataurl",
      ".ttf": "dataurl",
      ".png": "dataurl",
      ".gif": "dataurl",
      ".svg": "dataurl",
    },
    logLevel: "warning",
    metafile: true,
    plugins: [contractOperationsPlugin(operations)],
  });

  const files = await writeApp(CONSOLE_PAGE, outDir, result.outputFiles);
  return {
    ...files,
    operations: operations.map((operation) => operation.name),
    inputs: inputFiles(result.metafile),
  };
}

/** Writes one app's script, style and index.html; fails on any output esbuild was not asked for. */
async function writeApp(
  page: AppPage,
  outDir: string,
  outputFiles: readonly { path: string; contents: Uint8Array }[],
): Promise<Omit<BuiltConsole, "operations" | "inputs">> {
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

export interface BuildGovernanceOptions {
  outDir?: string;
}

export type BuiltGovernanceConsole = Omit<BuiltConsole, "operations">;

/**
 * The governance console (gateway/web/governance), served at /governance: React and
 * plain CSS, no GraphiQL, so its bundle stays a fraction of the GraphQL console's.
 */
export async function buildGovernanceConsole(
  options: BuildGovernanceOptions = {},
): Promise<BuiltGovernanceConsole> {
  const outDir = resolve(options.outDir ?? DEFAULT_GOVERNANCE_OUT_DIR);
  const { build } = await esbuild();
  const result = await build({
    entryPoints: { governance: GOVERNANCE_ENTRY },
    outdir: outDir,
    ...BROWSER_BUNDLE,
    logLevel: "warning",
    metafile: true,
  });
  const files = await writeApp(GOVERNANCE_PAGE, outDir, result.outputFiles);
  return { ...files, inputs: inputFiles(result.metafile) };
}

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
    // What shapes the output without esbuild reading it: the options here, the asset versions,
    // how operations are read, esbuild's own version.
    fileURLToPath(import.meta.url),
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

function formatBytes(bytes: number): string {
  return bytes >= 1_000_000
    ? `${(bytes / 1_000_000).toFixed(2)} MB`
    : `${(bytes / 1000).toFixed(1)} kB`;
}

async function main(): Promise<void> {
  const result = await buildConsolesIfChanged();
  const elapsed = Math.round(result.ms);
  if (!result.console || !result.governance) {
    console.log(`console and governance console: up to date (checked in ${elapsed} ms)`);
    return;
  }
  const describe = (app: BuiltGovernanceConsole) =>
    `${relative(process.cwd(), app.outDir) || "."} ${formatBytes(app.totalBytes)} ` +
    `(${app.files.map((file) => `${file.name} ${formatBytes(file.bytes)}`).join(", ")})`;
  console.log(
    `console: ${describe(result.console)}, ${result.console.operations.length} operations; ` +
      `governance: ${describe(result.governance)}; in ${elapsed} ms`,
  );
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(resolve(entry)).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
