import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultPoliciesDir } from "../authz/policy/load.ts";
import { initPolicies } from "./init.ts";
import { InitError } from "./init-error.ts";

export interface WritePolicyFolderOptions {
  /** The supergraph SDL file to start from. */
  supergraph: string;
  /** The folder to write into. */
  out: string;
  /** A testing role that sees everything (see InitOptions.allowAll). */
  allowAll?: string | undefined;
  /** Replace files already there. */
  force?: boolean | undefined;
}

/**
 * How `policies:init` ends: 0 written (`message` for stdout), 1 refused or failed to write, 2 the
 * input was wrong (`message` for stderr). Nothing is written unless the code is 0.
 */
export interface WritePolicyFolderOutcome {
  exitCode: 0 | 1 | 2;
  message: string;
}

const failed = (exitCode: 1 | 2, message: string): WritePolicyFolderOutcome => ({
  exitCode,
  message,
});

/** Writes initPolicies' files, and copies of the JSON schemas they name, into `out`. */
export function writePolicyFolder(options: WritePolicyFolderOptions): WritePolicyFolderOutcome {
  const { supergraph, out } = options;
  if (existsSync(out) && !statSync(out).isDirectory())
    return failed(2, `--out ${out} is a file, not a directory.`);

  let sdl: string;
  try {
    sdl = readFileSync(supergraph, "utf8");
  } catch (error) {
    return failed(2, `Cannot read the supergraph ${supergraph}: ${(error as Error).message}`);
  }
  let result: ReturnType<typeof initPolicies>;
  try {
    result = initPolicies(sdl, { allowAll: options.allowAll, source: supergraph });
  } catch (error) {
    const flag = error instanceof InitError ? error.flag : undefined;
    return failed(
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
  if (existing.length && !options.force)
    return failed(
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
    return failed(1, `Cannot write to ${out}: ${(error as Error).message}`);
  }
  return {
    exitCode: 0,
    message: [
      `Wrote ${result.files.map((f) => f.name).join(", ")} (and schema/) to ${out}.`,
      ...result.notices.map((n) => `  - ${n}`),
      `Check: npm run policies:check -- --dir ${out} --supergraph ${supergraph}`,
      `Serve: MASH_POLICIES_DIR=${out} MASH_SUPERGRAPH_FILE=${supergraph}`,
      "",
    ].join("\n"),
  };
}
