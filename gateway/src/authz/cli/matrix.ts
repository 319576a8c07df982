import { parseArgs } from "node:util";
import { commonOptions, loadForCommand, withUsage } from "./args.ts";
import { sharingMatrix } from "./sharing-matrix.ts";

/**
 * `npm run policies:matrix [-- --agency police]`: roles x fields as Markdown, one table per
 * owning agency, for review (sharing-matrix.ts).
 */
const { values } = withUsage("npm run policies:matrix -- [--agency <agency>]", () =>
  parseArgs({ options: { ...commonOptions, agency: { type: "string" } } }),
);
const loaded = loadForCommand(values);
if (!loaded.authority || !loaded.policy) {
  process.stderr.write(
    `${loaded.print().join("\n")}\nThe policies do not load; fix them first (npm run policies:check).\n`,
  );
  process.exit(1);
}
const lines = sharingMatrix(loaded.authority, loaded.policy, { agency: values.agency });
process.stdout.write(`${lines.join("\n")}\n`);
