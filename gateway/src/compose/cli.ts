import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { CompositionError, composeSupergraph } from "./compose.ts";
import { readSchemaFiles, supergraphFile } from "./schema-files.ts";

/**
 * `npm run compose` writes gateway/supergraph.graphql from the subgraph schema files;
 * `npm run compose -- --check` fails when the committed file is not what they compose to.
 */
const check = process.argv.includes("--check");
try {
  const supergraph = composeSupergraph(readSchemaFiles());
  const where = relative(process.cwd(), supergraphFile);
  if (check) {
    let current = "";
    try {
      current = readFileSync(supergraphFile, "utf8");
    } catch {}
    if (current !== supergraph) {
      process.stderr.write(`${where} is stale: run \`npm run compose\` and commit the result.\n`);
      process.exit(1);
    }
    process.stdout.write(`${where} is up to date.\n`);
  } else {
    writeFileSync(supergraphFile, supergraph);
    process.stdout.write(`Wrote ${where}.\n`);
  }
} catch (error) {
  process.stderr.write(`${error instanceof CompositionError ? error.message : String(error)}\n`);
  process.exit(1);
}
