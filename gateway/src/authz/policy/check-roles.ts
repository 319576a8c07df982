import { type GraphQLSchema, getNamedType, isObjectType } from "graphql";
import { contactOf, type RawContact } from "./contact.ts";
import type { FieldOwnership } from "./ownership.ts";
import type { YamlFile } from "./read-yaml.ts";
import type { AgencyDef, PolicyProblem, PolicySet, RoleDef } from "./types.ts";

/** roles.yaml as its JSON Schema admits it. */
export interface RawRoles {
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

/**
 * Checks roles.yaml (already schema-valid) against the supergraph and itself: agencies name real
 * subgraphs, the hub is an agency, the scope is a field, roles and groups name what exists. Adds
 * each problem to `problems`.
 */
export function checkRoles(
  rolesFile: YamlFile,
  schema: GraphQLSchema,
  ownership: FieldOwnership,
  problems: PolicyProblem[],
): {
  raw: RawRoles;
  scope: PolicySet["scope"];
  agencies: Map<string, AgencyDef>;
  roles: Map<string, RoleDef>;
  groups: Map<string, string[]>;
} {
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
  return { raw, scope, agencies, roles, groups };
}
