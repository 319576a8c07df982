import { buildASTSchema, type GraphQLSchema, parse } from "graphql";
import { checkArguments } from "./check-arguments.ts";
import { checkRoles } from "./check-roles.ts";
import { checkRules } from "./check-rules.ts";
import { fieldOwners, possibleTypesOf } from "./field-owners.ts";
import { readOwnership } from "./ownership.ts";
import { defaultPoliciesDir } from "./policies-dir.ts";
import {
  isPolicyFileName,
  type PolicyText,
  policyVersionOf,
  readPolicyDir,
} from "./read-policy-dir.ts";
import { parseYamlText, type YamlFile } from "./read-yaml.ts";
import { schemaProblems } from "./schema-errors.ts";
import { schemaValidators } from "./schema-validators.ts";
import type { PolicyProblem, PolicySet } from "./types.ts";

// Re-exported because much of the gateway and its tests read policy folders (the repository's
// own by default; `MASH_POLICIES_DIR` points elsewhere) through this module.
export { defaultPoliciesDir, type PolicyText, policyVersionOf, readPolicyDir };

export interface LoadedPolicies {
  policy: PolicySet | undefined;
  problems: PolicyProblem[];
}

/**
 * Reads roles.yaml and one file per agency, checks them against their JSON Schema and against the
 * supergraph, and compiles nothing unless every check passes: a policy with a problem never loads.
 */
export function loadPolicies(options: { dir?: string; supergraphSdl: string }): LoadedPolicies {
  const dir = options.dir ?? defaultPoliciesDir;
  const read = readPolicyDir(dir);
  if (read.problems.length) return { policy: undefined, problems: read.problems };
  return loadPolicyTexts({ files: read.files, supergraphSdl: options.supergraphSdl, source: dir });
}

/**
 * The same checks and compilation over texts held in memory (a policy store's versions, a
 * candidate an officer is editing), so a text is judged exactly as the gateway would judge it.
 */
export function loadPolicyTexts(options: {
  files: readonly PolicyText[];
  supergraphSdl: string;
  /** Where the texts came from, for "roles.yaml is missing from ..." (a directory, say). */
  source?: string;
}): LoadedPolicies {
  const problems: PolicyProblem[] = [];
  const { roles: validateRoles, policy: validatePolicy } = schemaValidators(defaultPoliciesDir);

  let schema: GraphQLSchema;
  const sdl = parse(options.supergraphSdl);
  try {
    schema = buildASTSchema(sdl, { assumeValidSDL: true });
  } catch (error) {
    return {
      policy: undefined,
      problems: [{ file: "supergraph", message: (error as Error).message }],
    };
  }
  const ownership = readOwnership(sdl);

  const texts = new Map<string, string>();
  for (const f of options.files) {
    if (texts.has(f.name)) problems.push({ file: f.name, message: "is given twice" });
    texts.set(f.name, f.text);
  }
  if (problems.length) return { policy: undefined, problems };
  const names = [...texts.keys()].filter(isPolicyFileName).sort();
  if (!names.includes("roles.yaml")) {
    return {
      policy: undefined,
      problems: [
        { file: "roles.yaml", message: `is missing from ${options.source ?? "the policy texts"}` },
      ],
    };
  }
  const version = policyVersionOf(names.map((name) => ({ name, text: texts.get(name) ?? "" })));
  const readText = (name: string) => parseYamlText(name, texts.get(name) ?? "", problems);

  const rolesFile = readText("roles.yaml");
  if (!rolesFile) return { policy: undefined, problems };
  if (!validateRoles(rolesFile.value)) {
    problems.push(...schemaProblems(rolesFile, validateRoles.errors));
    return { policy: undefined, problems };
  }
  const { raw, scope, agencies, roles, groups } = checkRoles(
    rolesFile,
    schema,
    ownership,
    problems,
  );
  const owners = fieldOwners(agencies, raw.hub, ownership);
  const possibleTypes = possibleTypesOf(schema, ownership);

  const files: YamlFile[] = [];
  for (const name of names.filter((n) => n !== "roles.yaml")) {
    const file = readText(name);
    if (!file) continue;
    if (!validatePolicy(file.value)) {
      problems.push(...schemaProblems(file, validatePolicy.errors));
      continue;
    }
    files.push(file);
  }
  const checked = checkRules({
    files,
    schema,
    ownership,
    owners,
    agencies,
    roles,
    groups,
    problems,
  });
  const searches = checkArguments({
    files,
    schema,
    ownership,
    owners,
    scope,
    rules: checked.rules,
    problems,
  });
  if (problems.length) return { policy: undefined, problems };
  return {
    policy: {
      version,
      hub: raw.hub,
      scope,
      agencies,
      roles,
      rules: checked.rules,
      owners,
      conditionFields: checked.conditionFields,
      possibleTypes,
      searches,
    },
    problems,
  };
}
