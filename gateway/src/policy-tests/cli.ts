import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { commonOptions, withUsage } from "../authz/cli/args.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { formatReport } from "./report.ts";
import { runPolicyTests } from "./run-cases.ts";

/**
 * `npm run policies:test [-- --dir DIR] [--supergraph FILE] [--agency NAME ...]`: every agency's
 * cases (DIR/tests/<agency>.yaml) judged by the gateway's own judge; each failure with its file,
 * line and case; exit 1 when any case fails or a file has a problem, 2 on a bad argument.
 */
const usage =
  "npm run policies:test -- [--dir policies] [--supergraph gateway/supergraph.graphql] [--agency police ...]";
const { values } = withUsage(usage, () =>
  parseArgs({ options: { ...commonOptions, agency: { type: "string", multiple: true } } }),
);
const sdlFile = values.supergraph ?? supergraphFile;
let supergraphSdl = "";
try {
  supergraphSdl = readFileSync(sdlFile, "utf8");
} catch (error) {
  process.stderr.write(`Cannot read the supergraph ${sdlFile}: ${(error as Error).message}\n`);
  process.exit(2);
}
const report = runPolicyTests({
  dir: values.dir ?? process.env.MASH_POLICIES_DIR,
  supergraphSdl,
  agencies: values.agency,
});
(report.ok ? process.stdout : process.stderr).write(`${formatReport(report).join("\n")}\n`);
process.exit(report.ok ? 0 : 1);
