import { dirname, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";

/** A relative path as a relative URL: `#`, `%` or `?` in a folder name must not cut it short. */
export const relativeUrl = (path: string) => path.split(sep).map(encodeURIComponent).join("/");

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

export type Relative = Extract<Locations, { kind: "relative" }>;

/** A file as a URL relative to the folder of every output. */
export function fromOutputs(locations: Relative, file: string): string {
  const path = `${"../".repeat(locations.depth)}${relativeUrl(relative(locations.outdir, file))}`;
  return path.startsWith(".") ? path : `./${path}`;
}

/**
 * What a file's URL, folder and name are replaced with: constants, or names its first line
 * defines from where the sources are. That line goes after any `#!` line (which must come first)
 * and adds no line, so the source map's lines still match.
 */
export function ownLocation(file: string, locations: Locations) {
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
export const REQUIRE_BANNER =
  'import { createRequire as __mashCreateRequire } from "node:module"; const require = __mashCreateRequire(import.meta.url);';

/** The first lines of a relocatable bundle: where the sources are, from where it is. */
export function relocatableBanner(locations: Relative, banner: string): string {
  const sources = fromOutputs(locations, locations.sources).replace(/\/?$/, "/");
  return [
    REQUIRE_BANNER,
    `import { fileURLToPath as ${FILE_URL_TO_PATH} } from "node:url"; import { dirname as ${DIRNAME} } from "node:path";`,
    `const ${SOURCES} = new URL(${JSON.stringify(sources)}, import.meta.url);`,
    banner,
  ].join("\n");
}
