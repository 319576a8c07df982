import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { CompositionError } from "./compose.ts";
import { composedFiles, staleFiles } from "./composed-files.ts";
import { readSchemaFiles } from "./schema-files.ts";

/**
 * `npm run compose` writes gateway/supergraph.graphql and gateway/api-schema.graphql from the
 * subgraph schema files; `npm run compose -- --check` fails when either committed file is not
 * what they compose to.
 */
const check = process.argv.includes("--check");
try {
  const files = composedFiles(readSchemaFiles());
  const where = (path: string) => relative(process.cwd(), path);
  if (check) {
    const stale = staleFiles(files);
    if (stale.length > 0) {
      const names = stale.map(where).join(", ");
      const verb = stale.length > 1 ? "are" : "is";
      process.stderr.write(
        `${names} ${verb} stale: run \`npm run compose\` and commit the result.\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`${files.map((f) => where(f.path)).join(" and ")}: up to date.\n`);
  } else {
    for (const file of files) writeFileSync(file.path, file.text);
    process.stdout.write(`Wrote ${files.map((f) => where(f.path)).join(" and ")}.\n`);
  }
} catch (error) {
  process.stderr.write(`${error instanceof CompositionError ? error.message : String(error)}\n`);
  process.exit(1);
}
