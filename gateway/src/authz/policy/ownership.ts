import {
  type ConstDirectiveNode,
  type DocumentNode,
  type EnumValueNode,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type StringValueNode,
} from "graphql";

/**
 * Which subgraphs resolve each field, read from the supergraph's join directives: the basis of the
 * information firewall (an agency governs only what its own subgraphs serve).
 */
export interface FieldOwnership {
  /** Subgraph names (as in the join__Graph enum's names) resolving "Type.field". */
  graphsOf: Map<string, string[]>;
  /** Fields of every object and interface type in the API, in schema order. */
  fieldsOf: Map<string, string[]>;
}

type TypeNode = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

const argValue = (d: ConstDirectiveNode, name: string) =>
  d.arguments?.find((a) => a.name.value === name)?.value;
const isTrue = (d: ConstDirectiveNode, name: string) =>
  (argValue(d, name) as { value?: boolean } | undefined)?.value === true;

/**
 * A field's own `@join__field`s name the graphs that resolve it, less those where it is only
 * `external` (another graph's value, read for a key or `@requires`) or `usedOverridden` (fetched
 * there for the planner's own use after an `@override` moved it). A field with no `@join__field`
 * is resolved by every graph that has the type. A bare `@join__field` (no graph) on an
 * implementation is a field an `@interfaceObject` graph adds to its interface: the interface's
 * `@join__field` says who resolves it.
 */
export function readOwnership(supergraph: string | DocumentNode): FieldOwnership {
  const doc = typeof supergraph === "string" ? parse(supergraph) : supergraph;
  const graphName = new Map<string, string>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === "join__Graph") {
      for (const value of def.values ?? []) {
        const d = value.directives?.find((x) => x.name.value === "join__graph");
        const name = d && (argValue(d, "name") as StringValueNode | undefined)?.value;
        if (name) graphName.set(value.name.value, name);
      }
    }
  }
  const graphOf = (d: ConstDirectiveNode) =>
    graphName.get((argValue(d, "graph") as EnumValueNode | undefined)?.value ?? "");

  const types = new Map<string, TypeNode>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION)
      continue;
    const name = def.name.value;
    if (name.startsWith("join__") || name.startsWith("link__")) continue;
    if (def.directives?.some((d) => d.name.value === "inaccessible")) continue;
    types.set(name, def);
  }

  /** Graphs named by a field's join directives; undefined when it has none at all. */
  const ownGraphs = (field: FieldDefinitionNode): string[] | undefined => {
    const joins = (field.directives ?? []).filter((d) => d.name.value === "join__field");
    if (joins.length === 0) return undefined;
    return joins
      .filter((d) => !isTrue(d, "external") && !isTrue(d, "usedOverridden"))
      .map(graphOf)
      .filter((g): g is string => Boolean(g));
  };
  const typeGraphs = (type: TypeNode) =>
    (type.directives ?? [])
      .filter((d) => d.name.value === "join__type")
      .map(graphOf)
      .filter((g): g is string => Boolean(g));

  const graphsOfField = (type: TypeNode, field: FieldDefinitionNode): string[] => {
    const own = ownGraphs(field);
    if (own === undefined) return typeGraphs(type);
    if (own.length > 0) return own;
    // A bare @join__field: the field comes from an interface the type implements.
    const fromInterfaces = new Set<string>();
    for (const i of type.interfaces ?? []) {
      const iface = types.get(i.name.value);
      const def = iface?.fields?.find((f) => f.name.value === field.name.value);
      if (iface && def) for (const g of graphsOfField(iface, def)) fromInterfaces.add(g);
    }
    return [...fromInterfaces];
  };

  const graphsOf = new Map<string, string[]>();
  const fieldsOf = new Map<string, string[]>();
  for (const [typeName, type] of types) {
    const fields: string[] = [];
    for (const field of type.fields ?? []) {
      if (field.directives?.some((d) => d.name.value === "inaccessible")) continue;
      fields.push(field.name.value);
      graphsOf.set(`${typeName}.${field.name.value}`, [...new Set(graphsOfField(type, field))]);
    }
    fieldsOf.set(typeName, fields);
  }
  return { graphsOf, fieldsOf };
}
