import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { defaultPoliciesDir } from "../gateway/src/authz/policy/policies-dir.ts";
import type { PolicyProblem } from "../gateway/src/authz/policy/types.ts";
import { cacheDir, root } from "./bundle-check.ts";

type Env = Record<string, string | undefined>;

// The loader itself is imported only when the remembered pass does not hold: it costs graphql,
// ajv and yaml, about 90 ms of CPU before anything else may start.
const defaultSupergraph = join(root, "gateway/supergraph.graphql");
const loaderDir = join(root, "gateway/src/authz/policy");
export const defaultPolicyCacheFile = join(cacheDir, "preflight-policies.json");

const isPolicyFile = (name: string) => name.endsWith(".yaml") || name.endsWith(".yml");

/**
 * Whether the sharing rules load as the gateway will load them: the files of MASH_POLICIES_DIR
 * (published versions are laid over them only once they do), checked by the gateway's own loader
 * against MASH_SUPERGRAPH_FILE or, by default, the supergraph the subgraphs' schema files
 * compose to. One line per problem, naming the setting, file, line and rule.
 */
export async function policyProblems(
  env: Env,
  options: { cacheFile?: string } = {},
): Promise<string[]> {
  const cacheFile = options.cacheFile ?? defaultPolicyCacheFile;
  const dir = env.MASH_POLICIES_DIR ? resolve(root, env.MASH_POLICIES_DIR) : defaultPoliciesDir;
  const ownSupergraph = env.MASH_SUPERGRAPH_FILE
    ? resolve(root, env.MASH_SUPERGRAPH_FILE)
    : undefined;
  const supergraphFile = ownSupergraph ?? defaultSupergraph;
  let sdl: string;
  try {
    sdl = readFileSync(supergraphFile, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return [
      ownSupergraph
        ? `MASH_SUPERGRAPH_FILE: cannot read ${supergraphFile} (${code})`
        : `${supergraphFile} cannot be read (${code}): run npm run compose`,
    ];
  }
  // Everything the verdict depends on; the same as last time, it is last time's pass.
  const key = inputsKey(dir, sdl, !ownSupergraph);
  if (key !== undefined && readCachedKey(cacheFile) === key) return [];

  const { loadPolicies } = await import("../gateway/src/authz/policy/load.ts");
  let { problems } = loadPolicies({ dir, supergraphSdl: sdl });
  if (problems.length && !ownSupergraph) {
    // The kept file may be behind a schema edited since (npm run compose not run yet): judge by
    // what the subgraphs will serve, as the gateway composing them will.
    problems = (await problemsAgainstSchemaFiles(dir)) ?? problems;
  }
  if (problems.length === 0) {
    if (key !== undefined) writeCachedKey(cacheFile, key);
    return [];
  }
  const { formatProblem } = await import("../gateway/src/authz/policy/types.ts");
  return problems.map(
    (problem) => `MASH_POLICIES_DIR: ${formatProblem(located(problem, dir, supergraphFile))}`,
  );
}

/** A problem's file as a path an editor opens. */
function located(problem: PolicyProblem, dir: string, supergraphFile: string): PolicyProblem {
  if (problem.file === "supergraph") return { ...problem, file: supergraphFile };
  return isAbsolute(problem.file) ? problem : { ...problem, file: join(dir, problem.file) };
}

async function problemsAgainstSchemaFiles(dir: string): Promise<PolicyProblem[] | undefined> {
  try {
    const [{ composeSupergraph }, { readSchemaFiles }, { loadPolicies }] = await Promise.all([
      import("../gateway/src/compose/compose.ts"),
      import("../gateway/src/compose/schema-files.ts"),
      import("../gateway/src/authz/policy/load.ts"),
    ]);
    return loadPolicies({ dir, supergraphSdl: composeSupergraph(readSchemaFiles()) }).problems;
  } catch {
    // Schemas that do not compose: the gateway says so itself; the kept file's verdict stands.
    return undefined;
  }
}

/**
 * A hash of the policy texts, the JSON Schemas they are checked with, the supergraph (and, when
 * it is the kept one, the schema files it may lag behind), and the loader's own files and
 * packages (by size and time): undefined when any cannot be read, so the check then runs.
 */
function inputsKey(dir: string, sdl: string, withSchemaFiles: boolean): string | undefined {
  try {
    const hash = createHash("sha256").update(sdl).update("\0");
    const add = (file: string) => hash.update(file).update("\0").update(readFileSync(file));
    for (const name of readdirSync(dir).filter(isPolicyFile).sort()) add(join(dir, name));
    const schemas = join(defaultPoliciesDir, "schema");
    for (const name of readdirSync(schemas).sort()) add(join(schemas, name));
    if (withSchemaFiles) {
      const subgraphs = join(root, "subgraphs");
      for (const name of readdirSync(subgraphs).sort()) {
        const file = join(subgraphs, name, "src/schema.graphql");
        if (statSync(file, { throwIfNoEntry: false })) add(file);
      }
    }
    const code = [
      ...readdirSync(loaderDir).map((name) => join(loaderDir, name)),
      join(root, "package-lock.json"),
    ];
    for (const file of code.sort()) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${file}\0${size}\0${mtimeMs}\0`);
    }
    return hash.digest("hex");
  } catch {
    return undefined;
  }
}

function readCachedKey(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { key?: string }).key;
  } catch {
    return undefined;
  }
}

/** Written whole, so a start beside this one never reads half. */
function writeCachedKey(file: string, key: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ key }));
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written costs the next start the check, nothing more.
  }
}
