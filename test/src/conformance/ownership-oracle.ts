import {
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  Kind,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  parse,
  type StringValueNode,
} from "graphql";

// Who owns what, read from the subgraphs themselves (not from the supergraph's join directives,
// which is what the gateway and policies:init read): an independent oracle, so an ownership bug
// in the product shows up as a policy that does not load, a field withheld or an owner that
// differs, never as a harness that agrees with it.

/** All the oracle reads of a subgraph: its name and its own SDL. */
export interface SubgraphSdl {
  name: string;
  typeDefs: string;
}

/** The agencies as roles.yaml declares them: which one is the hub, and whose subgraph is whose. */
export interface Agencies {
  hub: string;
  /** Subgraph name to its agency. */
  bySubgraph: ReadonlyMap<string, string>;
}

interface SubgraphType {
  interfaceObject: boolean;
  /** Field name to what this subgraph says of it. */
  fields: Map<string, { external: boolean; overrideFrom?: string }>;
}

/** `@federation__external` and `@external` alike: a case may import directives or not. */
const directiveName = (d: ConstDirectiveNode) => d.name.value.replace(/^federation__/, "");
const has = (directives: readonly ConstDirectiveNode[] | undefined, name: string) =>
  (directives ?? []).some((d) => directiveName(d) === name);
const stringArg = (d: ConstDirectiveNode, name: string) =>
  (d.arguments?.find((a) => a.name.value === name)?.value as StringValueNode | undefined)?.value;

function subgraphTypes(typeDefs: DocumentNode): Map<string, SubgraphType> {
  const types = new Map<string, SubgraphType>();
  for (const def of typeDefs.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION)
      continue;
    const type = types.get(def.name.value) ?? { interfaceObject: false, fields: new Map() };
    type.interfaceObject ||= has(def.directives, "interfaceObject");
    const typeExternal = has(def.directives, "external");
    for (const field of def.fields ?? []) {
      const override = field.directives?.find((d) => directiveName(d) === "override");
      type.fields.set(field.name.value, {
        external: typeExternal || has(field.directives, "external"),
        overrideFrom: override ? stringArg(override, "from") : undefined,
      });
    }
    types.set(def.name.value, type);
  }
  return types;
}

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
const isObjectNode = (def: DefinitionNode): def is ObjectNode =>
  def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION;

/**
 * The object types a client can see in the supergraph, with their fields and interfaces. Only
 * which types and fields exist is read here; who resolves them is read from the subgraphs.
 */
function apiObjectTypes(supergraphSdl: string) {
  const out = new Map<string, { fields: string[]; interfaces: string[] }>();
  for (const def of parse(supergraphSdl).definitions) {
    if (!isObjectNode(def)) continue;
    const name = def.name.value;
    if (name.startsWith("join__") || name.startsWith("link__")) continue;
    if (has(def.directives, "inaccessible")) continue;
    out.set(name, {
      fields: (def.fields ?? [])
        .filter((f) => !has(f.directives, "inaccessible"))
        .map((f) => f.name.value),
      interfaces: (def.interfaces ?? []).map((i) => i.name.value),
    });
  }
  return out;
}

/**
 * "Type.field" of every field a client can read, to the subgraphs that resolve it: those whose
 * own definition of the type has it and does not mark it @external, less those another subgraph
 * took it from with @override; for a field no subgraph defines on the type itself, the subgraphs
 * whose @interfaceObject adds it to an interface the type implements.
 */
export function resolvingSubgraphs(
  supergraphSdl: string,
  subgraphs: readonly SubgraphSdl[],
): Map<string, string[]> {
  const bySubgraph = subgraphs.map((s) => ({
    name: s.name,
    types: subgraphTypes(parse(s.typeDefs)),
  }));
  const result = new Map<string, string[]>();
  for (const [typeName, api] of apiObjectTypes(supergraphSdl)) {
    for (const field of api.fields) {
      const overriddenFrom = new Set<string>();
      const direct: string[] = [];
      for (const s of bySubgraph) {
        const type = s.types.get(typeName);
        const def = type && !type.interfaceObject ? type.fields.get(field) : undefined;
        if (!def || def.external) continue;
        direct.push(s.name);
        if (def.overrideFrom) overriddenFrom.add(def.overrideFrom);
      }
      let resolving = direct.filter((s) => !overriddenFrom.has(s));
      if (resolving.length === 0) {
        resolving = bySubgraph
          .filter((s) =>
            api.interfaces.some((i) => {
              const type = s.types.get(i);
              const def = type?.interfaceObject ? type.fields.get(field) : undefined;
              return def !== undefined && !def.external;
            }),
          )
          .map((s) => s.name);
      }
      result.set(`${typeName}.${field}`, resolving);
    }
  }
  return result;
}

/**
 * "Type.field" to the agency that owns it: the one whose subgraphs resolve it, else the hub. A
 * subgraph roles.yaml gives no agency is named as such, so the mismatch shows in a test's diff
 * rather than the field quietly going to the hub.
 */
export function expectedOwners(
  supergraphSdl: string,
  subgraphs: readonly SubgraphSdl[],
  agencies: Agencies,
): Map<string, string> {
  const agencyOf = (subgraph: string) =>
    agencies.bySubgraph.get(subgraph) ?? `(no agency for subgraph ${subgraph})`;
  const owners = new Map<string, string>();
  for (const [coordinate, resolving] of resolvingSubgraphs(supergraphSdl, subgraphs)) {
    const owning = new Set(resolving.map(agencyOf));
    owners.set(coordinate, owning.size === 1 ? ([...owning][0] as string) : agencies.hub);
  }
  return owners;
}
