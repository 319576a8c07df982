import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { introspectionIn } from "./introspection-in.ts";

describe("whether an operation reads the schema", () => {
  it("tells schema-only, mixed and data operations apart, through fragments", () => {
    expect(introspectionIn(parse("{ __schema { queryType { name } } __typename }"), null)).toBe(
      "only",
    );
    expect(
      introspectionIn(
        parse('{ ...F } fragment F on Query { __type(name: "X") { name } subject(id: 1) { id } }'),
        undefined,
      ),
    ).toBe("mixed");
    expect(introspectionIn(parse("{ subject(id: 1) { id } }"), null)).toBe("none");
  });

  it("answers each operation of one document by its own name, asked again or not", () => {
    const document = parse(
      "query A { __schema { types { name } } } query B { subject(id: 1) { id } }",
    );
    for (let round = 0; round < 2; round++) {
      expect(introspectionIn(document, "A")).toBe("only");
      expect(introspectionIn(document, "B")).toBe("none");
      // Two operations and no name, or a name no operation has: no operation, nothing read.
      expect(introspectionIn(document, null)).toBe("none");
      expect(introspectionIn(document, "")).toBe("none");
    }
    const single = parse("{ __schema { types { name } } }");
    for (let round = 0; round < 2; round++) {
      expect(introspectionIn(single, undefined)).toBe("only");
      expect(introspectionIn(single, "")).toBe("none");
    }
  });
});
