import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import { type BuiltApp, CONSOLE_PAGE, GOVERNANCE_PAGE, inputFiles, writeApp } from "./app-page.ts";
import { BROWSER_BUNDLE } from "./browser-bundle.ts";
import { DIST_DIRS } from "./dist-dirs.ts";
import type { ContractOperation } from "./operations.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = DIST_DIRS.console;
/** The contract operations the console offers as tabs: the gateway's own folder. */
export const DEFAULT_OPERATIONS_DIR = resolve(here, "../../operations");
export const DEFAULT_GOVERNANCE_OUT_DIR = DIST_DIRS.governance;
const GOVERNANCE_ENTRY = resolve(here, "../governance/app.tsx");
const OPERATIONS_MODULE = "mash:contract-operations";

// Loaded when a build runs, not when a check finds the bundles current (npm start's usual case).
const esbuild = () => import("esbuild");
const operationsOf = async (dir: string) => (await import("./operations.ts")).loadOperations(dir);

export interface BuildConsoleOptions {
  outDir?: string;
  operationsDir?: string;
}

export interface BuiltConsole extends BuiltApp {
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

/** The GraphQL console (gateway/web/console), served at /console, with the contract operations. */
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
