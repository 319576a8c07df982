import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import {
  buildASTSchema,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  parse,
} from "graphql";
import { checkArguments } from "./check-arguments.ts";
import { checkRules } from "./check-rules.ts";
import { contactOf, type RawContact } from "./contact.ts";
import { readOwnership } from "./ownership.ts";
import { defaultPoliciesDir } from "./policies-dir.ts";
import { parseYamlText, type YamlFile } from "./read-yaml.ts";
import { schemaProblems } from "./schema-errors.ts";
import type { AgencyDef, PolicyProblem, PolicySet, RoleDef } from "./types.ts";

/** The repository's policies folder; `MASH_POLICIES_DIR` points elsewhere. */
export { defaultPoliciesDir };

const schemaDir = (dir: string) => join(dir, "schema");

interface RawRoles {
  hub: string;
  scope?: { type: string; key: string; flag?: string };
  agencies: Record<
    string,
    {
      title: string;
      subgraphs: string[];
      contact?: RawContact;
    }
  >;
  roles: Record<
    string,
    { agency?: string; description: string; breakGlass?: boolean; governance?: boolean }
  >;
  groups?: Record<string, string[]>;
}

let validators: { roles: ValidateFunction; policy: ValidateFunction } | undefined;
function schemaValidators(dir: string) {
  if (validators) return validators;
  // verbose: a pattern's error carries its schema, whose patternMessage says what was wanted.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  const read = (name: string) =>
    JSON.parse(readFileSync(join(schemaDir(dir), name), "utf8")) as object;
  validators = {
    roles: ajv.compile(read("roles.schema.json")),
    policy: ajv.compile(read("policy.schema.json")),
  };
  return validators;
}

export interface LoadedPolicies {
  policy: PolicySet | undefined;
  problems: PolicyProblem[];
}

/** One policy file's name ("police.yaml") and text: what a directory or a policy store holds. */
export interface PolicyText {
  name: string;
  text: string;
}

const isPolicyFileName = (name: string) => name.endsWith(".yaml") || name.endsWith(".yml");

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
  const raw = rolesFile.value as RawRoles;
  const graphs = new Set([...ownership.graphsOf.values()].flat());
  const agencies = new Map<string, AgencyDef>();
  for (const [name, a] of Object.entries(raw.agencies)) {
    for (const g of a.subgraphs) {
      if (!graphs.has(g)) {
        problems.push({
          file: "roles.yaml",
          line: rolesFile.lineOf(["agencies", name, "subgraphs"]),
          message: `agency "${name}" names subgraph "${g}", which is not in the supergraph`,
        });
      }
    }
    agencies.set(name, {
      name,
      title: a.title,
      subgraphs: a.subgraphs,
      contact: contactOf(name, a.contact),
    });
  }
  if (!agencies.has(raw.hub)) {
    problems.push({
      file: "roles.yaml",
      line: rolesFile.lineOf(["hub"]),
      message: `hub "${raw.hub}" is not one of the agencies`,
    });
  }
  const scope = raw.scope;
  if (scope && !isObjectType(schema.getType(scope.type))) {
    problems.push({
      file: "roles.yaml",
      line: rolesFile.lineOf(["scope", "type"]),
      message: `scope type ${scope.type} is not an object type of the supergraph`,
    });
  } else if (scope && !ownership.fieldsOf.get(scope.type)?.includes(scope.key)) {
    problems.push({
      file: "roles.yaml",
      line: rolesFile.lineOf(["scope"]),
      message: `scope ${scope.type}.${scope.key} is not a field of the supergraph`,
    });
  }
  if (scope?.flag !== undefined) {
    // The flag decides owner notifications: it must be a Boolean the subgraphs actually serve.
    const scopeType = schema.getType(scope.type);
    const flagField = isObjectType(scopeType) ? scopeType.getFields()[scope.flag] : undefined;
    if (!flagField || getNamedType(flagField.type).name !== "Boolean")
      problems.push({
        file: "roles.yaml",
        line: rolesFile.lineOf(["scope", "flag"]),
        message: `scope flag ${scope.type}.${scope.flag} is not a Boolean field of the supergraph`,
      });
  }
  const roles = new Map<string, RoleDef>();
  for (const [name, r] of Object.entries(raw.roles)) {
    if (!r.governance && (!r.agency || !agencies.has(r.agency))) {
      problems.push({
        file: "roles.yaml",
        line: rolesFile.lineOf(["roles", name]),
        message: `role "${name}" needs an agency from agencies (or governance: true); got "${r.agency ?? ""}"`,
      });
    }
    roles.set(name, {
      name,
      agency: r.agency,
      description: r.description,
      breakGlass: r.breakGlass === true,
      governance: r.governance === true,
    });
  }
  const groups = new Map<string, string[]>();
  for (const [name, members] of Object.entries(raw.groups ?? {})) {
    if (roles.has(name))
      problems.push({
        file: "roles.yaml",
        line: rolesFile.lineOf(["groups", name]),
        message: `group "${name}" has the name of a role`,
      });
    for (const m of members) {
      if (!roles.has(m))
        problems.push({
          file: "roles.yaml",
          line: rolesFile.lineOf(["groups", name]),
          message: `group "${name}" names unknown role "${m}"`,
        });
    }
    groups.set(name, members);
  }

  // Who owns each field: the one agency whose subgraphs resolve it, or the hub for fields the
  // subgraphs of several agencies resolve (a shared key, a @shareable value).
  const agencyOfGraph = new Map<string, string>();
  for (const a of agencies.values()) for (const g of a.subgraphs) agencyOfGraph.set(g, a.name);
  const owners = new Map<string, string>();
  for (const [coordinate, g] of ownership.graphsOf) {
    const resolving = new Set(g.map((graph) => agencyOfGraph.get(graph) ?? raw.hub));
    owners.set(coordinate, resolving.size === 1 ? ([...resolving][0] as string) : raw.hub);
  }
  const possibleTypes = new Map<string, readonly string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isAbstractType(type) || type.name.startsWith("join__") || type.name.startsWith("link__"))
      continue;
    // Only the members a client can meet: @inaccessible object types have no fields in the API.
    const members = schema.getPossibleTypes(type).filter((t) => ownership.fieldsOf.has(t.name));
    // An interface no object type implements is judged as itself (see filterSchemaOf).
    if (members.length === 0 && isInterfaceType(type)) continue;
    possibleTypes.set(
      type.name,
      members.map((t) => t.name),
    );
  }

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
