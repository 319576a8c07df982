import { parseArgs } from "node:util";
import { readPolicyDir } from "../policy/load.ts";
import { commonOptions, loadForCommand, withUsage } from "./args.ts";

/**
 * `npm run policies:check [-- --dir DIR] [--supergraph FILE]`: every problem with file, line and
 * rule; exit 1 when there is any. Usable in a policy repository's CI.
 */
const { values } = withUsage(
  "npm run policies:check -- [--dir policies] [--supergraph gateway/supergraph.graphql]",
  () => parseArgs({ options: commonOptions }),
);
const loaded = loadForCommand(values);
if (!loaded.policy) {
  process.stderr.write(
    `${loaded.print().join("\n")}\n${loaded.problems.length} problem(s) in ${loaded.dir}; nothing would load.\n`,
  );
  process.exit(1);
}
// Every agency file counts, those with no rules yet (deny by default) included.
const files = readPolicyDir(loaded.dir).files.filter((f) => f.name !== "roles.yaml").length;
process.stdout.write(
  `Policies OK: ${loaded.policy.rules.length} rules in ${files} agency files and roles.yaml (version ${loaded.policy.version}).\n`,
);
// A withheld field should say whom to ask. An agency owning fields without a contact still loads
// (a policies:init draft names none), so this is a note on stdout, not a problem: exit 0.
const owning = new Set(loaded.policy.owners.values());
for (const agency of loaded.policy.agencies.values())
  if (owning.has(agency.name) && !agency.contact)
    process.stdout.write(
      `Note: roles.yaml agency "${agency.name}" has no contact: its withheld fields will not say whom to ask.\n`,
    );
