import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultPoliciesDir } from "../authz/policy/load.ts";
import { InitError, initPolicies } from "./init.ts";

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
const supergraph = values.supergraph as string;
const out = values.out ?? "policies-init";
if (!out) fail(2, `--out needs a directory.\nUsage: ${usage}`);
if (existsSync(out) && !statSync(out).isDirectory())
  fail(2, `--out ${out} is a file, not a directory.`);

let sdl = "";
try {
  sdl = readFileSync(supergraph, "utf8");
} catch (error) {
  fail(2, `Cannot read the supergraph ${supergraph}: ${(error as Error).message}`);
}
let result: ReturnType<typeof initPolicies> = { files: [], notices: [] };
try {
  result = initPolicies(sdl, { allowAll: values["allow-all"], source: supergraph });
} catch (error) {
  const flag = error instanceof InitError ? error.flag : undefined;
  fail(
    2,
    flag
      ? `${flag}: ${(error as Error).message}`
      : `Cannot use the supergraph ${supergraph}: ${(error as Error).message}`,
  );
}

// The files name ./schema/*.schema.json for editor completion, so the folder carries copies.
const schemaDir = join(defaultPoliciesDir, "schema");
const writes = [
  ...result.files.map((f) => ({ path: join(out, f.name), text: f.text })),
  ...["roles.schema.json", "policy.schema.json"].map((name) => ({
    path: join(out, "schema", name),
    text: readFileSync(join(schemaDir, name), "utf8"),
  })),
];
const existing = writes.filter((w) => existsSync(w.path)).map((w) => w.path);
if (existing.length && !values.force)
  fail(
    1,
    `Refusing to overwrite ${existing.length} file(s): ${existing.join(", ")}. Pass --force to replace them, or choose another --out.`,
  );
// policies:check reads every YAML file of the folder, not only the ones written here.
const written = new Set(result.files.map((f) => f.name));
const others = existsSync(out)
  ? readdirSync(out).filter((n) => /\.ya?ml$/.test(n) && !written.has(n))
  : [];
if (others.length)
  result.notices.push(
    `${out} also holds ${others.join(", ")}: policies:check reads those too; remove them if they are stale.`,
  );

try {
  mkdirSync(join(out, "schema"), { recursive: true });
  for (const w of writes) writeFileSync(w.path, w.text);
} catch (error) {
  fail(1, `Cannot write to ${out}: ${(error as Error).message}`);
}
process.stdout.write(
  [
    `Wrote ${result.files.map((f) => f.name).join(", ")} (and schema/) to ${out}.`,
    ...result.notices.map((n) => `  - ${n}`),
    `Check: npm run policies:check -- --dir ${out} --supergraph ${supergraph}`,
    `Serve: MASH_POLICIES_DIR=${out} MASH_SUPERGRAPH_FILE=${supergraph}`,
    "",
  ].join("\n"),
);
