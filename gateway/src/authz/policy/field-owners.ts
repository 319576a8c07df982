import { type GraphQLSchema, isAbstractType, isInterfaceType } from "graphql";
import type { FieldOwnership } from "./ownership.ts";
import type { AgencyDef } from "./types.ts";

/**
 * Who owns each field: the one agency whose subgraphs resolve it, or the hub for fields the
 * subgraphs of several agencies resolve (a shared key, a @shareable value).
 */
export function fieldOwners(
  agencies: ReadonlyMap<string, AgencyDef>,
  hub: string,
  ownership: FieldOwnership,
): Map<string, string> {
  const agencyOfGraph = new Map<string, string>();
  for (const a of agencies.values()) for (const g of a.subgraphs) agencyOfGraph.set(g, a.name);
  const owners = new Map<string, string>();
  for (const [coordinate, g] of ownership.graphsOf) {
    const resolving = new Set(g.map((graph) => agencyOfGraph.get(graph) ?? hub));
    owners.set(coordinate, resolving.size === 1 ? ([...resolving][0] as string) : hub);
  }
  return owners;
}

/** The object types a client can meet for each union and interface of the API. */
export function possibleTypesOf(
  schema: GraphQLSchema,
  ownership: FieldOwnership,
): Map<string, readonly string[]> {
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
  return possibleTypes;
}
