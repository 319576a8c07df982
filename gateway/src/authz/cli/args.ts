import { readFileSync } from "node:fs";
import { supergraphFile } from "../../compose/schema-files.ts";
import { Authority } from "../ability.ts";
import { defaultPoliciesDir, loadPolicies } from "../policy/load.ts";
import { formatProblem } from "../policy/types.ts";

/** Options every policy command takes: where the policies and the supergraph are. */
export const commonOptions = { dir: { type: "string" }, supergraph: { type: "string" } } as const;

/** Runs an argument parser, turning a bad argument into a usage message and exit code 2. */
export function withUsage<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: ${usage}\n`);
    process.exit(2);
  }
}

/** Loads and checks the policies against a supergraph file (the committed one by default). */
export function loadForCommand(values: { dir?: string; supergraph?: string }) {
  const dir = values.dir ?? process.env.MASH_POLICIES_DIR ?? defaultPoliciesDir;
  const sdlFile = values.supergraph ?? supergraphFile;
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(sdlFile, "utf8");
  } catch (error) {
    process.stderr.write(`Cannot read the supergraph ${sdlFile}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const loaded = loadPolicies({ dir, supergraphSdl });
  return {
    dir,
    ...loaded,
    authority: loaded.policy && new Authority(loaded.policy),
    print: () => loaded.problems.map(formatProblem),
  };
}
