import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildASTSchema,
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isNonNullType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { parse as parseYaml, stringify } from "yaml";
import { readOwnership } from "../../../gateway/src/authz/policy/ownership.ts";
import { initPolicies } from "../../../gateway/src/policy-init/init.ts";

/** The role `policies:init --allow-all` grants every field to; the bench's tokens carry it. */
export const READER = "reader";
export const WITHHELD_RULE = "bench-withheld";
export const WITHHELD_REASON = "Withheld by the federation benchmark's restrictive policy.";

export interface PolicyFolder {
  dir: string;
  /** roles.yaml's hub: the tokens' agency. */
  hub: string;
}

/** The supergraph as a client sees it (join directives and all), for walking queries. */
export const apiSchema = (supergraphSdl: string): GraphQLSchema =>
  buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });

/** Every `Type.field` of a scalar or enum type the query selects, and which of them may be null. */
export function leavesOf(schema: GraphQLSchema, query: DocumentNode) {
  const all = new Set<string>();
  const nullable = new Set<string>();
  const info = new TypeInfo(schema);
  visit(
    query,
    visitWithTypeInfo(info, {
      Field() {
        const parent = info.getParentType();
        const field = info.getFieldDef();
        if (!parent || !field || !isLeafType(getNamedType(field.type))) return;
        const coordinate = `${parent.name}.${field.name}`;
        all.add(coordinate);
        if (!isNonNullType(field.type)) nullable.add(coordinate);
      },
    }),
  );
  return { all: [...all].sort(), nullable: [...nullable].sort() };
}

/**
 * A fifth of the query's leaf fields (rounded), spread evenly over the nullable ones in name
 * order: the same fields every run, and each one can be withheld in place as null.
 */
export function fieldsToWithhold(schema: GraphQLSchema, query: DocumentNode): string[] {
  const { all, nullable } = leavesOf(schema, query);
  const count = Math.max(1, Math.round(all.length / 5));
  return Array.from(
    { length: count },
    (_, j) => nullable[Math.floor(((j + 0.5) * nullable.length) / count)] as string,
  );
}

/** The grant-all folder `npm run policies:init -- --allow-all reader` writes, in `dir`. */
export function writeGrantAll(supergraphSdl: string, dir: string): PolicyFolder {
  return writeFolder(dir, grantAllFiles(supergraphSdl));
}

/**
 * Grant-all, plus one deny rule per owning agency for `withheld`: written last in that agency's
 * file, so it decides. A field several subgraphs resolve is the hub's, as the policy loader says.
 */
export function writeWithholding(
  supergraphSdl: string,
  dir: string,
  withheld: string[],
): PolicyFolder {
  const files = grantAllFiles(supergraphSdl);
  const hub = hubOf(files);
  const { graphsOf } = readOwnership(supergraphSdl);
  const byAgency = new Map<string, Map<string, string[]>>();
  for (const coordinate of withheld) {
    const graphs = new Set(graphsOf.get(coordinate) ?? []);
    // The shop's subgraph names are already agency names (lower case, no underscores).
    const owner = graphs.size === 1 ? ([...graphs][0] as string) : hub;
    const [type, field] = coordinate.split(".") as [string, string];
    const types = byAgency.get(owner) ?? new Map<string, string[]>();
    types.set(type, [...(types.get(type) ?? []), field]);
    byAgency.set(owner, types);
  }
  for (const [agency, types] of byAgency) {
    const file = `${agency}.yaml`;
    const policy = parseYaml(files[file] ?? "") as { rules: unknown[] };
    policy.rules.push({
      id: `${agency}-${WITHHELD_RULE}`,
      description: "The benchmark withholds these fields from the reader.",
      effect: "deny",
      roles: [READER],
      fields: Object.fromEntries(types),
      reason: WITHHELD_REASON,
      legalBasis: "Benchmark fixture",
    });
    files[file] = stringify(policy);
  }
  return writeFolder(dir, files);
}

function grantAllFiles(supergraphSdl: string): Record<string, string> {
  const { files } = initPolicies(supergraphSdl, {
    allowAll: READER,
    source: "the federation bench",
  });
  return Object.fromEntries(files.map((f) => [f.name, f.text]));
}

const hubOf = (files: Record<string, string>) =>
  String((parseYaml(files["roles.yaml"] ?? "") as { hub: unknown }).hub);

function writeFolder(dir: string, files: Record<string, string>): PolicyFolder {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, hub: hubOf(files) };
}
