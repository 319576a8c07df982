// `npm run build -w gateway/web`: builds the browser apps when their sources changed, and says so.
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildConsolesIfChanged } from "./build-if-changed.ts";
import type { BuiltGovernanceConsole } from "./console-build.ts";

export {
  type BuildConsolesOptions,
  buildConsolesIfChanged,
  type ConsolesBuild,
  DEFAULT_MANIFEST_FILE,
} from "./build-if-changed.ts";
export {
  type BuildConsoleOptions,
  type BuildGovernanceOptions,
  type BuiltConsole,
  type BuiltGovernanceConsole,
  buildConsole,
  buildGovernanceConsole,
  DEFAULT_GOVERNANCE_OUT_DIR,
  DEFAULT_OPERATIONS_DIR,
  DEFAULT_OUT_DIR,
} from "./console-build.ts";

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
