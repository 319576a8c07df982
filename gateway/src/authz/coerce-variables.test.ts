import { buildSchema, getVariableValues, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { coerceVariables, simplyCoerced } from "./coerce-variables.ts";

const schema = buildSchema(`
  type Query { a(id: ID, s: String, n: Int): String }
`);

const definitions = (signature: string) =>
  (parse(`query Q${signature} { a }`).definitions[0] as OperationDefinitionNode)
    .variableDefinitions ?? [];

const signatures = [
  "($v: ID!)",
  "($v: ID)",
  "($v: [ID!]!)",
  "($v: [ID])",
  "($v: String!)",
  "($v: [String!])",
  "($v: [[ID!]])",
  "($v: Int)",
  '($v: ID = "x")',
  "($v: ID!, $w: [String])",
];
const values: Record<string, unknown>[] = [
  {},
  { v: "S-1001" },
  { v: null },
  { v: undefined },
  { v: 5 },
  { v: 5.5 },
  { v: true },
  { v: ["S-1", "S-2"] },
  { v: ["S-1", null] },
  { v: [["S-1"], ["S-2", "S-3"]] },
  { v: [["S-1", null]] },
  { v: [] },
  { v: [1, 2] },
  { v: { id: "S-1" } },
  { v: "S-1", w: ["a", null, "b"] },
  { v: "S-1", w: "a" },
];

describe("coercing the compiled pass's variables", () => {
  it("gives what graphql-js gives, or refuses where it refuses, for every case", () => {
    for (const signature of signatures)
      for (const inputs of values) {
        const defs = definitions(signature);
        const expected = getVariableValues(schema, defs, inputs, { maxErrors: 50 });
        const got = coerceVariables(schema, defs, inputs);
        expect({ signature, inputs, got }, `${signature} ${JSON.stringify(inputs)}`).toEqual({
          signature,
          inputs,
          got: expected.errors ? undefined : expected.coerced,
        });
      }
  });

  it("keeps a variable named __proto__ as graphql-js does, as a value of its own", () => {
    const defs = definitions("($__proto__: ID, $toString: [String!])");
    const inputs = JSON.parse('{"__proto__": "S-1", "toString": ["a"]}') as Record<string, unknown>;
    const expected = getVariableValues(schema, defs, inputs, { maxErrors: 50 }).coerced;
    const got = coerceVariables(schema, defs, inputs);
    expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(expected));
    expect(Object.entries(got ?? {})).toEqual(Object.entries(expected ?? {}));
    expect(Object.entries(got ?? {})).toEqual([
      ["__proto__", "S-1"],
      ["toString", ["a"]],
    ]);
    // Left to graphql-js: its fast path would have set the prototype instead.
    expect(simplyCoerced(schema, defs, inputs)).toBeUndefined();
  });

  it("coerces ids and strings itself, copying lists, and leaves the rest to graphql-js", () => {
    const ids = Array.from({ length: 50 }, (_, i) => `S-${1001 + i}`);
    const coerced = simplyCoerced(schema, definitions("($v: [ID!]!)"), { v: ids });
    expect(coerced).toEqual({ v: ids });
    expect(coerced?.v).not.toBe(ids);
    expect(simplyCoerced(schema, definitions("($v: ID!)"), { v: 5 })).toBeUndefined();
    expect(simplyCoerced(schema, definitions("($v: [ID])"), { v: "S-1" })).toBeUndefined();
    expect(simplyCoerced(schema, definitions('($v: ID = "x")'), {})).toBeUndefined();
  });
});
