import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";

/**
 * Our sources bundled for Node as they are: each file keeps its own `import.meta.url`,
 * `__dirname` and `__filename`, so the files read beside sources (schema.graphql, policies,
 * migrations) are still found, and imports resolve with Node's own conditions. Two ways:
 *
 * - `npm start`'s bundles (server-bundles.ts) name every file by its absolute path: they live in
 *   this checkout's cache and are made again whenever anything they were made from changes.
 * - The production build (build-production.ts) finds every file from where the bundle itself
 *   is, so the checkout may be built in one place and run in another (a CI job's folder, then
 *   /app in an image), and NODE_ENV is production unless set otherwise.
 */

const root = fileURLToPath(new URL("..", import.meta.url));

/** Loaded at run time where Node would find them: native code, and esbuild's own binary. */
const EXTERNAL = new Set(["better-sqlite3", "pg-native", "esbuild"]);

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

/** A relative path as a relative URL: `#`, `%` or `?` in a folder name must not cut it short. */
const relativeUrl = (path: string) => path.split(sep).map(encodeURIComponent).join("/");

/**
 * In a relocatable bundle, where the sources are: a URL from the bundle's own, set by its first
 * lines (the banner), so a moved checkout finds its files where they now are.
 */
const SOURCES = "__mashSources";
const FILE_URL_TO_PATH = "__mashFileURLToPath";
const DIRNAME = "__mashDirname";

/**
 * How a file's own location is written into a bundle: as its absolute path, or relative to
 * `sources` from the bundle's own folder, each output being `depth` folders below `outdir`.
 */
export type Locations =
  | { kind: "absolute" }
  | { kind: "relative"; sources: string; outdir: string; depth: number };

type Relative = Extract<Locations, { kind: "relative" }>;

/** A file as a URL relative to the folder of every output. */
function fromOutputs(locations: Relative, file: string): string {
  const path = `${"../".repeat(locations.depth)}${relativeUrl(relative(locations.outdir, file))}`;
  return path.startsWith(".") ? path : `./${path}`;
}

/** Each source file exactly as Node would run it, wherever its bundle is. */
function asNodeRunsIt(locations: Locations): Plugin {
  return {
    name: "mash-as-node-runs-it",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith("@")
          ? args.path.split("/").slice(0, 2).join("/")
          : (args.path.split("/")[0] as string);
        if (!EXTERNAL.has(name)) return undefined;
        let file: string;
        try {
          // The very file Node would load for this importer.
          file = createRequire(args.importer).resolve(args.path);
        } catch {
          // Optional (pg-native): left for its importer's own try/catch at run time.
          return { path: args.path, external: true };
        }
        return {
          path: locations.kind === "absolute" ? file : fromOutputs(locations, file),
          external: true,
        };
      });
      // Each file keeps its own URL, folder and file name, replaced where the code (not a string
      // or comment) names them, with a source map back to the file as written.
      build.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, async (args) => {
        const text = await readFile(args.path, "utf8");
        const usesMeta = text.includes("import.meta");
        // Only where Node gives them: in an ES module they are not defined, and code may test that.
        const usesNames = /\b__(dirname|filename)\b/.test(text) && isCommonJs(args.path);
        if (!usesMeta && !usesNames) return undefined;
        const own = ownLocation(args.path, locations);
        const define: Record<string, string> = {};
        if (usesMeta) {
          define["import.meta.url"] = own.url;
          define["import.meta.dirname"] = own.dirname;
          define["import.meta.filename"] = own.filename;
        }
        if (usesNames) {
          define.__dirname = own.dirname;
          define.__filename = own.filename;
        }
        const ts = args.path.endsWith(".ts");
        const { code } = await build.esbuild.transform(text, {
          loader: ts ? "ts" : "js",
          define,
          sourcefile: args.path,
          sourcemap: "inline",
          ...(ts ? { tsconfigRaw } : {}),
        });
        return { contents: own.prelude(code), loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * What a file's URL, folder and name are replaced with: constants, or names its first line
 * defines from where the sources are. That line goes after any `#!` line (which must come first)
 * and adds no line, so the source map's lines still match.
 */
function ownLocation(file: string, locations: Locations) {
  if (locations.kind === "absolute") {
    return {
      url: JSON.stringify(pathToFileURL(file).href),
      dirname: JSON.stringify(dirname(file)),
      filename: JSON.stringify(file),
      prelude: (code: string) => code,
    };
  }
  const own = JSON.stringify(relativeUrl(relative(locations.sources, file)));
  const line =
    `var __mashOwnUrl = new URL(${own}, ${SOURCES}).href, ` +
    `__mashOwnFile = ${FILE_URL_TO_PATH}(__mashOwnUrl), __mashOwnDir = ${DIRNAME}(__mashOwnFile);`;
  return {
    url: "__mashOwnUrl",
    dirname: "__mashOwnDir",
    filename: "__mashOwnFile",
    prelude: (code: string) => {
      const hashbang = /^#![^\n]*\n/.exec(code)?.[0] ?? "";
      return `${hashbang}${line}${code.slice(hashbang.length)}`;
    },
  };
}

// CommonJS modules bundled into ESM reach Node's built-ins through this.
const REQUIRE_BANNER =
  'import { createRequire as __mashCreateRequire } from "node:module"; const require = __mashCreateRequire(import.meta.url);';

/** The first lines of a relocatable bundle: where the sources are, from where it is. */
function relocatableBanner(locations: Relative, banner: string): string {
  const sources = fromOutputs(locations, locations.sources).replace(/\/?$/, "/");
  return [
    REQUIRE_BANNER,
    `import { fileURLToPath as ${FILE_URL_TO_PATH} } from "node:url"; import { dirname as ${DIRNAME} } from "node:path";`,
    `const ${SOURCES} = new URL(${JSON.stringify(sources)}, import.meta.url);`,
    banner,
  ].join("\n");
}

/** Everything but the entries, the output folder and the way files are located. */
const OPTIONS = {
  bundle: true,
  platform: "node",
  format: "esm",
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
} satisfies BuildOptions;

const loadEsbuild = async () =>
  (await import(pathToFileURL(fromGateway.resolve("esbuild")).href)) as typeof import("esbuild");

/** esbuild's own package.json: its version shapes every bundle. */
export const esbuildPackage = () => fromGateway.resolve("esbuild/package.json");

export interface BundleForNodeOptions {
  /** Output name (relative to `outdir`, no extension) -> source file. */
  entryPoints: Record<string, string>;
  outdir: string;
  /** Where relative entry points are found; the repository root unless given. */
  absWorkingDir?: string;
  /**
   * A relocatable build (see above): each file found from the bundle's own location relative to
   * `sources`, and `banner` (JavaScript) run first in every output. Every output is `depth`
   * folders below `outdir`, the code entries share in `chunks` (`gateway/dist/main` and
   * `dist/chunks` are both 2 deep), so one banner finds the sources from all of them.
   */
  relocatable?: {
    sources: string;
    depth: number;
    chunks: string;
    banner?: string;
    target?: string;
  };
}

const depthOf = (name: string) => name.split("/").length - 1;

/**
 * Bundles each entry for Node with the options above: the files it read and wrote, absolute.
 * Exported for its test, which checks a bundle does what Node does with the sources.
 */
export async function bundleForNode(
  options: BundleForNodeOptions,
): Promise<{ inputs: string[]; outputs: string[] }> {
  const base = options.absWorkingDir ?? root;
  const { relocatable } = options;
  const { build } = await loadEsbuild();
  let located: BuildOptions;
  if (relocatable) {
    const { sources, depth, chunks } = relocatable;
    const names = [...Object.keys(options.entryPoints), `${chunks}/chunk`];
    const astray = names.find((name) => depthOf(name) !== depth);
    if (astray) throw new Error(`${astray} is not ${depth} folders below the output folder`);
    const locations: Relative = { kind: "relative", sources, depth, outdir: options.outdir };
    located = {
      splitting: true,
      chunkNames: `${chunks}/[name]-[hash]`,
      target: relocatable.target ?? `node${process.versions.node}`,
      banner: { js: relocatableBanner(locations, relocatable.banner ?? "") },
      plugins: [asNodeRunsIt(locations)],
    };
  } else {
    located = {
      splitting: true,
      target: `node${process.versions.node}`,
      banner: { js: REQUIRE_BANNER },
      plugins: [asNodeRunsIt({ kind: "absolute" })],
    };
  }
  const result = await build({
    ...OPTIONS,
    ...located,
    entryPoints: options.entryPoints,
    outdir: options.outdir,
    absWorkingDir: base,
  });
  const { metafile } = result;
  if (!metafile) throw new Error("esbuild wrote no metafile");
  return {
    inputs: Object.keys(metafile.inputs).map((file) => resolve(base, file)),
    outputs: Object.keys(metafile.outputs).map((file) => resolve(base, file)),
  };
}
