import { type GraphQLSchema, isInterfaceType } from "graphql";
import type { FieldOwnership } from "./ownership.ts";

/**
 * The object types of the API that implement an interface; an interface none implements (served
 * only by `@interfaceObject` subgraphs) is judged as itself, like an object type.
 */
export function implementationsOf(
  schema: GraphQLSchema,
  ownership: FieldOwnership,
  name: string,
): string[] {
  const type = schema.getType(name);
  if (!isInterfaceType(type)) return [];
  const members = schema
    .getPossibleTypes(type)
    .map((t) => t.name)
    .filter((t) => ownership.fieldsOf.has(t));
  return members.length > 0 ? members : [name];
}
