import { parseArgs } from "node:util";
import { writePolicyFolder } from "./write-policy-folder.ts";

/**
 * `npm run policies:init -- --supergraph FILE [--out DIR] [--allow-all ROLE] [--force]`: a first
 * policy folder for another graph, deny-by-default, that `policies:check` passes as written.
 */
const usage =
  "npm run policies:init -- --supergraph <file> [--out policies-init] [--allow-all <role>] [--force]";
const fail = (code: number, message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};
// args.ts's withUsage, without importing args.ts: that loads the policy engine, which init never
// needs, and would take most of the command's start-up time.
function withUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    return fail(2, `${(error as Error).message}\nUsage: ${usage}`);
  }
}
const { values } = withUsage(() =>
  parseArgs({
    options: {
      supergraph: { type: "string" },
      out: { type: "string" },
      "allow-all": { type: "string" },
      force: { type: "boolean" },
    },
  }),
);
if (!values.supergraph) fail(2, `--supergraph <file> is required.\nUsage: ${usage}`);
const out = values.out ?? "policies-init";
if (!out) fail(2, `--out needs a directory.\nUsage: ${usage}`);

const { exitCode, message } = writePolicyFolder({
  supergraph: values.supergraph as string,
  out,
  allowAll: values["allow-all"],
  force: values.force,
});
if (exitCode === 0) process.stdout.write(message);
else fail(exitCode, message);
