import {
  buildASTSchema,
  type DefinitionNode,
  type GraphQLSchema,
  isInterfaceType,
  Kind,
  parse,
  printSchema,
} from "graphql";

/**
 * Interfaces no object type implements. An `@interfaceObject` subgraph can serve values of one
 * (a `Node` known only by its key): the gateway returns them as they are, with no concrete type.
 */
export function implementationlessInterfaces(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap()))
    if (isInterfaceType(type) && schema.getPossibleTypes(type).length === 0) names.add(type.name);
  return names;
}

/**
 * The schema the result filter re-executes the client's operation on: the API schema with no
 * resolvers (Apollo Server wraps the resolvers of the schema it serves, and the wrappers would
 * ignore the filter's), and each interface that no object type implements turned into an object
 * type of the same name, so graphql-js can execute its values, and `__typename` and fragments on
 * it read as they do through the gateway.
 */
export function filterSchemaOf(apiSchema: GraphQLSchema): GraphQLSchema {
  const lonely = implementationlessInterfaces(apiSchema);
  const document = parse(printSchema(apiSchema));
  if (lonely.size === 0) return buildASTSchema(document);
  const definitions = document.definitions.map(
    (def): DefinitionNode =>
      def.kind === Kind.INTERFACE_TYPE_DEFINITION && lonely.has(def.name.value)
        ? { ...def, kind: Kind.OBJECT_TYPE_DEFINITION }
        : def,
  );
  return buildASTSchema({ ...document, definitions });
}
