import { fileURLToPath } from "node:url";

/**
 * Where the build writes each app, and the record of the last build: read by the build and by the
 * gateway, which serves these folders and nothing else. Beside the apps, not in any: the static
 * handler serves only what is in an app's own folder.
 */
const inDist = (path: string) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));

export const DIST_DIRS = {
  console: inDist("console/"),
  governance: inDist("governance/"),
  workspace: inDist("workspace/"),
} as const;

export const BUILD_MANIFEST_FILE = inDist("apps-build.json");
