import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyProblem } from "./types.ts";

/** One policy file's name ("police.yaml") and text: what a directory or a policy store holds. */
export interface PolicyText {
  name: string;
  text: string;
}

/** A file a policy folder is made of (YAML). */
export const isPolicyFileName = (name: string) => name.endsWith(".yaml") || name.endsWith(".yml");

/**
 * Reads the policy files of a directory (roles.yaml and one file per agency), sorted by name; a
 * directory or file that cannot be read is a problem rather than an exception.
 */
export function readPolicyDir(dir: string): { files: PolicyText[]; problems: PolicyProblem[] } {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isPolicyFileName).sort();
  } catch (error) {
    return {
      files: [],
      problems: [{ file: dir, message: `cannot be read: ${(error as Error).message}` }],
    };
  }
  const files: PolicyText[] = [];
  const problems: PolicyProblem[] = [];
  for (const name of names) {
    try {
      files.push({ name, text: readFileSync(join(dir, name), "utf8") });
    } catch (error) {
      problems.push({ file: name, message: `cannot be read: ${(error as Error).message}` });
    }
  }
  return { files, problems };
}

/** The version a set of policy texts loads as: a hash of every name and text, in name order. */
export function policyVersionOf(files: readonly PolicyText[]): string {
  const hash = createHash("sha256");
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    hash.update(f.name).update("\0").update(f.text, "utf8");
  return hash.digest("hex").slice(0, 16);
}
