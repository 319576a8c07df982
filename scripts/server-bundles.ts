import { readFileSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";
import { stampFiles, writeManifest } from "../gateway/src/console/build-manifest.ts";
import {
  bundlesKey,
  cacheDir,
  currentBundles,
  manifestFile,
  root,
  type ServerBundles,
} from "./bundle-check.ts";

/**
 * What `npm start` runs: the launcher, the gateway and each agency's entry, each bundled with
 * everything it imports into one plain JavaScript file under node_modules/.cache/mash/start.
 * Through tsx, every process spends over a second of CPU on its hooks (a module at a time,
 * across a worker thread) before our first line runs; eight at once on two cores was most of
 * the start. The code is the same: sources are bundled as they are, each file keeping its own
 * `import.meta.url`, `__dirname` and `__filename`, resolved with Node's own conditions. Bundles
 * are made again whenever any file they were made from changes (build-manifest.ts).
 */

/** Loaded at run time where Node would find them: native code, and esbuild's own binary. */
const EXTERNAL = new Set(["better-sqlite3", "pg-native", "esbuild"]);

/** How scripts/start.mjs hands the launcher the bundles it found current (it checked them). */
export const BUNDLES_HANDED_OVER = Symbol.for("mash.start.bundles");

/** The builds kept: one being started from may be a build or two behind the newest. */
const KEEP_BUILDS = 3;

const fromGateway = createRequire(join(root, "gateway/package.json"));

// For the few TypeScript files transformed on their own (below): the options every file has.
const tsconfigRaw = {
  compilerOptions: (
    JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
    }
  ).compilerOptions,
};

const packageTypes = new Map<string, string | undefined>();

/** The `type` of the package.json nearest above `dir`, as Node reads it for a `.js` file. */
function packageType(dir: string): string | undefined {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  let type: string | undefined;
  try {
    type =
      (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string }).type ??
      "commonjs";
  } catch {
    const parent = dirname(dir);
    type = parent === dir ? undefined : packageType(parent);
  }
  packageTypes.set(dir, type);
  return type;
}

function isCommonJs(file: string): boolean {
  if (file.endsWith(".cjs")) return true;
  if (!file.endsWith(".js")) return false;
  return packageType(dirname(file)) !== "module";
}

/** Each source file exactly as Node would run it, wherever its bundle is. */
function asNodeRunsIt(): Plugin {
  return {
    name: "mash-as-node-runs-it",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith("@")
          ? args.path.split("/").slice(0, 2).join("/")
          : (args.path.split("/")[0] as string);
        if (!EXTERNAL.has(name)) return undefined;
        try {
          // The very file Node would load for this importer, by absolute path.
          return { path: createRequire(args.importer).resolve(args.path), external: true };
        } catch {
          // Optional (pg-native): left for its importer's own try/catch at run time.
          return { path: args.path, external: true };
        }
      });
      // Each file keeps its own URL, folder and file name, replaced where the code (not a string
      // or comment) names them, with a source map back to the file as written.
      build.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, async (args) => {
        const text = await readFile(args.path, "utf8");
        const define: Record<string, string> = {};
        if (text.includes("import.meta")) {
          define["import.meta.url"] = JSON.stringify(pathToFileURL(args.path).href);
          define["import.meta.dirname"] = JSON.stringify(dirname(args.path));
          define["import.meta.filename"] = JSON.stringify(args.path);
        }
        // Only where Node gives them: in an ES module they are not defined, and code may test that.
        if (/\b__(dirname|filename)\b/.test(text) && isCommonJs(args.path)) {
          define.__dirname = JSON.stringify(dirname(args.path));
          define.__filename = JSON.stringify(args.path);
        }
        if (Object.keys(define).length === 0) return undefined;
        const ts = args.path.endsWith(".ts");
        const { code } = await build.esbuild.transform(text, {
          loader: ts ? "ts" : "js",
          define,
          sourcefile: args.path,
          sourcemap: "inline",
          ...(ts ? { tsconfigRaw } : {}),
        });
        return { contents: code, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Everything here but the output folder: the same for every build, so part of no key. */
const OPTIONS = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: `node${process.versions.node}`,
  splitting: true,
  // Node's resolution: `main` only, and its conditions (not esbuild's extra `module`).
  mainFields: ["main"],
  conditions: ["node-addons"],
  keepNames: true,
  sourcemap: "linked",
  sourcesContent: false,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  write: true,
  logLevel: "error",
  // CommonJS modules bundled into ESM reach Node's built-ins through this.
  banner: {
    js: 'import { createRequire as __mashCreateRequire } from "node:module"; const require = __mashCreateRequire(import.meta.url);',
  },
  plugins: [asNodeRunsIt()],
} satisfies BuildOptions;

async function agencyNames(): Promise<string[]> {
  // By URL, so no bundle carries the roster's imports (every agency, the whole kit).
  const roster = pathToFileURL(join(root, "scripts/agencies.ts")).href;
  const { agencies } = (await import(roster)) as { agencies: { name: string }[] };
  return agencies.map((agency) => agency.name);
}

/** Removes all but the newest builds; one still starting keeps its files for a while. */
async function pruneBuilds(keep: string): Promise<void> {
  const dir = join(cacheDir, "builds");
  const builds = await Promise.all(
    (await readdir(dir)).map(async (name) => ({
      path: join(dir, name),
      mtimeMs: (await stat(join(dir, name))).mtimeMs,
    })),
  );
  const old = builds
    .filter((build) => build.path !== keep)
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(KEEP_BUILDS - 1);
  await Promise.all(old.map((build) => rm(build.path, { recursive: true, force: true })));
}

const loadEsbuild = async () =>
  (await import(pathToFileURL(fromGateway.resolve("esbuild")).href)) as typeof import("esbuild");

/**
 * Bundles each entry for Node with the options above: the files it read and wrote, absolute.
 * Exported for its test, which checks a bundle does what Node does with the sources.
 */
export async function bundleForNode(options: {
  entryPoints: Record<string, string>;
  outdir: string;
  absWorkingDir?: string;
}): Promise<{ inputs: string[]; outputs: string[] }> {
  const base = options.absWorkingDir ?? root;
  const { build } = await loadEsbuild();
  const result = await build({ ...OPTIONS, ...options, absWorkingDir: base });
  return {
    inputs: Object.keys(result.metafile.inputs).map((file) => resolve(base, file)),
    outputs: Object.keys(result.metafile.outputs).map((file) => resolve(base, file)),
  };
}

export async function buildServerBundles(): Promise<ServerBundles> {
  const agencies = await agencyNames();
  const entryPoints: Record<string, string> = {
    launcher: "scripts/start.ts",
    checker: "scripts/bundle-check.ts",
    gateway: "gateway/src/main.ts",
  };
  for (const name of agencies) entryPoints[`agency-${name}`] = `subgraphs/${name}/src/main.ts`;
  const outdir = join(cacheDir, "builds", `${Date.now()}-${process.pid}`);
  const built = await bundleForNode({ entryPoints, outdir });
  const entries = Object.fromEntries(
    Object.keys(entryPoints).map((name) => [name, join(outdir, `${name}.mjs`)]),
  );
  const tsconfigs = [
    "tsconfig.json",
    "gateway/tsconfig.json",
    ...agencies.map((name) => `subgraphs/${name}/tsconfig.json`),
    "subgraphs/kit/tsconfig.json",
  ];
  const inputs = await stampFiles([
    ...built.inputs,
    ...[
      ...tsconfigs,
      // A package added or moved changes where an import resolves, not the importing file.
      "package-lock.json",
    ].map((file) => resolve(root, file)),
    fromGateway.resolve("esbuild/package.json"),
  ]);
  const outputs = await stampFiles(built.outputs);
  const bundles: ServerBundles = { agencies, entries };
  await writeManifest(manifestFile, {
    key: bundlesKey(),
    inputs,
    outputs,
    notes: { ...bundles, builtAt: new Date().toISOString() },
  });
  await pruneBuilds(outdir).catch(() => {});
  return bundles;
}

export type Prepared =
  | { kind: "bundles"; bundles: ServerBundles; built: boolean; ms: number }
  | { kind: "sources"; problem: string; ms: number };

/** The current bundles, made again first when any source has changed. */
export async function prepareServerBundles(): Promise<Prepared> {
  const started = performance.now();
  const current = await currentBundles();
  if (current) {
    return {
      kind: "bundles",
      bundles: current.bundles,
      built: false,
      ms: performance.now() - started,
    };
  }
  try {
    const bundles = await buildServerBundles();
    return { kind: "bundles", bundles, built: true, ms: performance.now() - started };
  } catch (error) {
    return { kind: "sources", problem: (error as Error).message, ms: performance.now() - started };
  }
}
