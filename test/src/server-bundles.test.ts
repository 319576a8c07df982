import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bundleForNode } from "../../scripts/server-bundles.ts";

// `npm start` runs each server from a bundle (scripts/server-bundles.ts), not through tsx: the
// bundle must do what Node does with the sources, file by file. Here a small program whose every
// line depends on where a file is or how Node resolves it runs both ways.

const dir = mkdtempSync(join(tmpdir(), "mash-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  "package.json": JSON.stringify({ type: "module" }),
  "src/main.ts": `
    import { fileURLToPath } from "node:url";
    import cjs from "cjs-dep";
    import esm from "esm-dep";
    import chosen from "conditions-dep";
    import * as inner from "patch-dep/inner.js";
    import patchDep from "patch-dep";
    // The gateway replaces one export of Apollo's (authz/raw-results.ts): the dependency's own
    // modules must then call the replacement, from the bundle as from the sources.
    const target = (inner as { default?: { shape: () => string } }).default ?? inner;
    (target as { shape: () => string }).shape = () => "replaced";
    const url: string = import.meta.url;
    // The text, not the code: a string naming import.meta.url or __dirname stays as written.
    const text = "import.meta.url and __dirname";
    console.log(JSON.stringify({
      here: fileURLToPath(url),
      text,
      // An ES module has no __dirname in Node: code that tests for it must see none.
      dirnameHere: typeof __dirname,
      cjs,
      esm,
      chosen,
      replaced: patchDep.run(),
    }));
  `,
  "node_modules/cjs-dep/package.json": JSON.stringify({ main: "index.js" }),
  "node_modules/cjs-dep/index.js": `"use strict";
    const path = require("node:path");
    module.exports = {
      dir: __dirname,
      file: path.basename(__filename),
      strict: (function () { return this === undefined; })(),
    };`,
  // Node reads `main` only; a `module` field must not be taken instead.
  "node_modules/esm-dep/package.json": JSON.stringify({
    type: "module",
    main: "index.js",
    module: "wrong.js",
  }),
  "node_modules/esm-dep/index.js": `
    export default { url: import.meta.url, dirname: typeof __dirname };`,
  "node_modules/esm-dep/wrong.js": `export default "the module field";`,
  // Node's conditions: "import" for an import, never esbuild's extra "module".
  "node_modules/conditions-dep/package.json": JSON.stringify({
    exports: { module: "./module.mjs", import: "./import.mjs", default: "./default.cjs" },
  }),
  "node_modules/conditions-dep/module.mjs": `export default "module";`,
  "node_modules/conditions-dep/import.mjs": `export default "import";`,
  "node_modules/conditions-dep/default.cjs": `module.exports = "default";`,
  "node_modules/patch-dep/package.json": JSON.stringify({ main: "index.js" }),
  "node_modules/patch-dep/inner.js": `"use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.shape = () => "original";`,
  "node_modules/patch-dep/index.js": `"use strict";
    const inner_1 = require("./inner");
    exports.run = () => (0, inner_1.shape)();`,
};
for (const [name, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
}

// tsx as `--import tsx` loads it, found from this repository rather than the temporary folder.
const tsx = pathToFileURL(
  join(fileURLToPath(new URL("../..", import.meta.url)), "node_modules/tsx/dist/loader.mjs"),
).href;
const run = (args: string[]) =>
  JSON.parse(execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" }));

describe("the servers' bundles", () => {
  it("do what Node does with the sources: file locations, strict mode, resolution", async () => {
    const outdir = join(dir, "out");
    const built = await bundleForNode({
      entryPoints: { main: "src/main.ts" },
      outdir,
      absWorkingDir: dir,
    });
    expect(built.inputs).toContain(join(dir, "src/main.ts"));
    expect(built.outputs).toContain(join(outdir, "main.mjs"));

    const fromSource = run(["--import", tsx, "src/main.ts"]);
    const fromBundle = run([join(outdir, "main.mjs")]);
    expect(fromBundle).toEqual(fromSource);
    expect(fromBundle).toEqual({
      here: join(dir, "src/main.ts"),
      text: "import.meta.url and __dirname",
      dirnameHere: "undefined",
      cjs: { dir: join(dir, "node_modules/cjs-dep"), file: "index.js", strict: true },
      esm: { url: `file://${join(dir, "node_modules/esm-dep/index.js")}`, dirname: "undefined" },
      chosen: "import",
      replaced: "replaced",
    });
  });
});
