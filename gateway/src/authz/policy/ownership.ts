import {
  type ConstDirectiveNode,
  type DocumentNode,
  type EnumValueNode,
  type FieldDefinitionNode,
  Kind,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
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
  /** Fields of every object type in the API, in schema order. */
  fieldsOf: Map<string, string[]>;
}

const argValue = (d: ConstDirectiveNode, name: string) =>
  d.arguments?.find((a) => a.name.value === name)?.value;

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
  const graphsOf = new Map<string, string[]>();
  const fieldsOf = new Map<string, string[]>();
  const graphsIn = (directives: readonly ConstDirectiveNode[] | undefined, directive: string) =>
    (directives ?? [])
      .filter((d) => d.name.value === directive)
      .filter((d) => (argValue(d, "external") as { value?: boolean } | undefined)?.value !== true)
      .map((d) => graphName.get((argValue(d, "graph") as EnumValueNode | undefined)?.value ?? ""))
      .filter((g): g is string => Boolean(g));

  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION)
      continue;
    const type = def as ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
    const typeName = type.name.value;
    if (typeName.startsWith("join__") || typeName.startsWith("link__")) continue;
    const typeGraphs = graphsIn(type.directives, "join__type");
    const fields = fieldsOf.get(typeName) ?? [];
    for (const field of (type.fields ?? []) as FieldDefinitionNode[]) {
      if (field.directives?.some((d) => d.name.value === "inaccessible")) continue;
      const own = graphsIn(field.directives, "join__field");
      fields.push(field.name.value);
      graphsOf.set(`${typeName}.${field.name.value}`, own.length ? [...new Set(own)] : typeGraphs);
    }
    fieldsOf.set(typeName, fields);
  }
  return { graphsOf, fieldsOf };
}
