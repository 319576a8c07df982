import {
  GraphQLEnumType,
  type GraphQLNamedType,
  GraphQLScalarType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isLeafType,
  isObjectType,
} from "graphql";
import { implementationsOf } from "./implementations.ts";
import type { FieldOwnership } from "./ownership.ts";
import type { Conditions } from "./types.ts";

/** Operators CASL's default matcher reads correctly. Compound ones ($or, $and) it would read as field names. */
const OPERATORS = new Set(["$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$exists"]);
const COMPOUND = new Set([
  "$or",
  "$and",
  "$nor",
  "$not",
  "$where",
  "$elemMatch",
  "$all",
  "$size",
  "$regex",
]);

function valueFits(type: GraphQLNamedType, value: unknown): boolean {
  if (value === null) return true;
  if (type instanceof GraphQLEnumType)
    return typeof value === "string" && type.getValue(value) !== undefined;
  if (type instanceof GraphQLScalarType) {
    if (type.name === "Boolean") return typeof value === "boolean";
    if (type.name === "Int" || type.name === "Float") return typeof value === "number";
    return typeof value === "string";
  }
  return false;
}

/**
 * Checks a rule's conditions: one type named under fields, and each condition a supported
 * operator on a scalar or enum field of it, with values of the field's type. Reports through
 * `fail`; records each tested field under every concrete type it is judged on in
 * `conditionFields`, and returns the fields the conditions read.
 */
export function checkConditions(options: {
  conditions: Conditions;
  fields: Record<string, unknown>;
  schema: GraphQLSchema;
  ownership: FieldOwnership;
  conditionFields: Map<string, Set<string>>;
  fail: (path: (string | number)[], message: string) => void;
}): string[] {
  const { conditions, fields, schema, ownership, conditionFields, fail } = options;
  const readFields: string[] = [];
  const typeNames = Object.keys(fields);
  const named = typeNames.length === 1 ? schema.getType(typeNames[0] as string) : undefined;
  const onlyType = isObjectType(named) || isInterfaceType(named) ? named : undefined;
  if (!onlyType) {
    fail(
      ["conditions"],
      "conditions apply to one type's objects: name exactly one type under fields",
    );
  } else {
    const judged = isObjectType(onlyType)
      ? [onlyType.name]
      : implementationsOf(schema, ownership, onlyType.name);
    for (const [field, test] of Object.entries(conditions)) {
      if (field.startsWith("$")) {
        fail(
          ["conditions", field],
          COMPOUND.has(field)
            ? `compound condition "${field}" is not supported: CASL's default matcher reads it as a field name and the rule would never fire; write one rule per case`
            : `unknown operator "${field}"`,
        );
        continue;
      }
      const def = onlyType.getFields()[field];
      if (!def) {
        fail(["conditions", field], `${onlyType.name} has no field "${field}" to test`);
        continue;
      }
      const fieldType = getNamedType(def.type);
      if (!isLeafType(fieldType)) {
        fail(
          ["conditions", field],
          `${onlyType.name}.${field} is an object; conditions test scalar and enum fields`,
        );
        continue;
      }
      const tests =
        test !== null && typeof test === "object"
          ? Object.entries(test as Record<string, unknown>)
          : [["$eq", test] as const];
      for (const [op, value] of tests) {
        if (!OPERATORS.has(op)) {
          fail(
            ["conditions", field],
            `operator "${op}" is not supported (use ${[...OPERATORS].join(", ")})`,
          );
        } else if (op === "$exists") {
          if (typeof value !== "boolean")
            fail(["conditions", field], "$exists takes true or false");
        } else if (op === "$in" || op === "$nin") {
          if (!Array.isArray(value) || !value.every((v) => valueFits(fieldType, v))) {
            fail(["conditions", field], `${op} takes a list of ${fieldType.name} values`);
          }
        } else if (!valueFits(fieldType, value)) {
          fail(
            ["conditions", field],
            `${JSON.stringify(value)} is not a ${fieldType.name} value${
              fieldType instanceof GraphQLEnumType
                ? ` (${fieldType
                    .getValues()
                    .map((v) => v.name)
                    .join(", ")})`
                : ""
            }`,
          );
        }
      }
      readFields.push(field);
      for (const t of judged) {
        const set = conditionFields.get(t) ?? new Set<string>();
        set.add(field);
        conditionFields.set(t, set);
      }
    }
  }
  return readFields;
}
