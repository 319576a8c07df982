// `npm start`. Plain JavaScript, so that when the bundles of the servers are current
// (scripts/server-bundles.ts) no TypeScript is compiled before they start: it asks the bundled
// checker, then runs the bundled launcher. Otherwise it runs scripts/start.ts from source through
// tsx, which makes the bundles again first.
//
// `npm run start:prod` (`--production`), or NODE_ENV=production: the launcher of the production
// build `npm run build` made (scripts/build-production.ts), never tsx; it runs the build only
// while it is of the code on disk (scripts/production.ts).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const manifestFile = new URL("../node_modules/.cache/mash/start/manifest.json", import.meta.url);
const productionLauncher = new URL("./dist/start.mjs", import.meta.url);

async function currentBundles() {
  try {
    const { notes } = JSON.parse(await readFile(manifestFile, "utf8"));
    const checker = await import(pathToFileURL(notes.entries.checker).href);
    // The checker checks its own sources too: a changed one finds the bundles stale.
    return (await checker.currentBundles())?.bundles;
  } catch {
    return undefined;
  }
}

if (process.argv.includes("--production") || process.env.NODE_ENV === "production") {
  process.env.NODE_ENV = "production";
  if (!existsSync(productionLauncher)) {
    process.stderr.write(
      "MASH Gateway did not start: No production build: run npm run build first (scripts/dist/start.mjs is missing)\n",
    );
    process.exit(1);
  }
  await import(productionLauncher.href);
} else {
  const bundles = await currentBundles();
  if (bundles) {
    globalThis[Symbol.for("mash.start.bundles")] = bundles;
    await import(pathToFileURL(bundles.entries.launcher).href);
  } else {
    const { register } = await import("tsx/esm/api");
    register();
    await import("./start.ts");
  }
}
