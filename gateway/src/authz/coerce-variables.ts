import {
  GraphQLID,
  type GraphQLSchema,
  GraphQLString,
  getVariableValues,
  Kind,
  type TypeNode,
  type VariableDefinitionNode,
} from "graphql";

/**
 * graphql-js's getVariableValues, for the compiled pass: the same coerced values or the same
 * refusal (undefined). Variables that are IDs and strings, alone or in lists, given as strings,
 * are coerced here as graphql-js would (its ID and String keep a string as it is; a list is
 * copied); anything else, and every case that coerces otherwise or fails, is left to
 * graphql-js. A list of fifty ids otherwise costs graphql-js some 75 µs of type checks.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const simple = simplyCoerced(schema, definitions, inputs);
  if (simple) return simple;
  const coerced = getVariableValues(schema, definitions, inputs, { maxErrors: 50 });
  return coerced.errors ? undefined : coerced.coerced;
}

/** The fast path alone: undefined where graphql-js is to decide (exported for its test). */
export function simplyCoerced(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const coerced: Record<string, unknown> = {};
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    // Set on a plain object, $__proto__ would be lost; graphql-js copies it in as its own.
    if (name === "__proto__") return undefined;
    if (!Object.hasOwn(inputs, name)) {
      // A default is parsed from the document, and a missing non-null variable is an error.
      if (definition.defaultValue || definition.type.kind === Kind.NON_NULL_TYPE) return undefined;
      continue;
    }
    const value = simpleValue(schema, definition.type, inputs[name]);
    if (value === undefined) return undefined;
    coerced[name] = value;
  }
  return coerced;
}

/** The coerced value, or undefined when graphql-js is to decide. */
function simpleValue(schema: GraphQLSchema, type: TypeNode, value: unknown): unknown {
  if (type.kind === Kind.NON_NULL_TYPE)
    return value === null || value === undefined
      ? undefined
      : simpleValue(schema, type.type, value);
  if (value === null) return null;
  if (type.kind === Kind.LIST_TYPE) {
    // graphql-js wraps a single value in a list, and takes any iterable: left to it.
    if (!Array.isArray(value)) return undefined;
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = simpleValue(schema, type.type, value[i]);
      if (item === undefined) return undefined;
      out[i] = item;
    }
    return out;
  }
  if (typeof value !== "string") return undefined;
  const named = schema.getType(type.name.value);
  return named === GraphQLID || named === GraphQLString ? value : undefined;
}
