import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import { fromOutputs, type Locations, ownLocation } from "./own-location.ts";
import { isCommonJs } from "./package-type.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Loaded at run time where Node would find them: native code, and esbuild's own binary. */
const EXTERNAL = new Set(["better-sqlite3", "pg-native", "esbuild"]);

// For the few TypeScript files transformed on their own (below): the options every file has.
const tsconfigRaw = {
  compilerOptions: (
    JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
    }
  ).compilerOptions,
};

/** Each source file exactly as Node would run it, wherever its bundle is. */
export function asNodeRunsIt(locations: Locations): Plugin {
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
