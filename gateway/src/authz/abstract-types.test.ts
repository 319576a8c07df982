import { buildSchema, GraphQLError, parse, print } from "graphql";
import { describe, expect, it } from "vitest";
import { type FieldJudge, filterResult } from "./filter.ts";
import {
  helperAlias,
  type RewriteRules,
  rewriteForAuthorization,
  TYPENAME_ALIAS,
} from "./rewrite.ts";

// A graph of its own, no MASH names: interfaces, a union, and a condition on one member.
const schema = buildSchema(`
  type Query { media: [Media!]! search: [Result!]! }
  interface Media { id: ID! title: String }
  type Book implements Media { id: ID! title: String restricted: Boolean pages: Int }
  type Film implements Media { id: ID! title: String minutes: Int }
  type Author { name: String }
  union Result = Book | Author
`);

const possible: Record<string, string[]> = { Media: ["Book", "Film"], Result: ["Book", "Author"] };
const denied = new Set(["Film.title"]);
const rules: RewriteRules & { conditions: Record<string, string[]> } = {
  conditions: { Book: ["restricted"] },
  mayAllow: (type, field) => (possible[type] ?? [type]).some((t) => !denied.has(`${t}.${field}`)),
  helperFields: (type) => rules.conditions[type] ?? [],
};

const rewrite = (query: string) => print(rewriteForAuthorization(schema, parse(query), rules));

describe("the rewrite on interfaces and unions", () => {
  it("fetches the concrete type and each member's condition fields under reserved aliases", () => {
    const out = rewrite("{ media { title } }");
    expect(out).toContain(`${TYPENAME_ALIAS}: __typename`);
    expect(out).toContain(`... on Book {\n      ${helperAlias("Book", "restricted")}: restricted`);
    expect(out).not.toContain("... on Film");
  });

  it("does the same inside named fragments on an abstract type and on union members", () => {
    const out = rewrite(
      "query { search { ...R } } fragment R on Result { ... on Book { pages } ... on Author { name } }",
    );
    expect(out.slice(out.indexOf("fragment R on Result"))).toContain(
      `${TYPENAME_ALIAS}: __typename`,
    );
    expect(out).toContain(`${helperAlias("Book", "restricted")}: restricted`);
  });

  it("removes an interface field only when no implementation may show it", () => {
    denied.add("Book.title");
    try {
      expect(rewrite("{ media { id title } }")).not.toMatch(/\btitle\b/);
    } finally {
      denied.delete("Book.title");
    }
    expect(rewrite("{ media { id title } }")).toMatch(/\btitle\b/);
  });
});

describe("the filter on interfaces and unions", () => {
  const judge: FieldJudge = {
    scopeType: undefined,
    scopeKey: undefined,
    conditionFields: (type) => rules.conditions[type] ?? [],
    check(type, field, object) {
      const blocked =
        denied.has(`${type}.${field}`) ||
        (type === "Book" && field === "title" && object.restricted === true);
      if (blocked)
        throw new GraphQLError("withheld", {
          extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE", rule: "r", reason: "x", owner: "o" },
        });
    },
    ownerOf: () => ({ agency: "o", title: "O", subgraphs: ["o"] }),
  };
  const run = (query: string, data: Record<string, unknown>) =>
    filterResult({
      schema,
      document: parse(query),
      operationName: undefined,
      variables: undefined,
      result: { data },
      judge,
    });

  it("resolves values the client selected no __typename for, and strips the helpers", () => {
    const out = run("{ media { id title } }", {
      media: [
        {
          id: "1",
          title: "Open",
          [TYPENAME_ALIAS]: "Book",
          [helperAlias("Book", "restricted")]: false,
        },
        {
          id: "2",
          title: "Shut",
          [TYPENAME_ALIAS]: "Book",
          [helperAlias("Book", "restricted")]: true,
        },
        { id: "3", title: "Reel", [TYPENAME_ALIAS]: "Film" },
      ],
    });
    expect(out.data).toEqual({
      media: [
        { id: "1", title: "Open" },
        { id: "2", title: null },
        { id: "3", title: null },
      ],
    });
    expect(out.errors?.map((e) => e.path)).toEqual([
      ["media", 1, "title"],
      ["media", 2, "title"],
    ]);
    expect(out.errors?.every((e) => e.extensions?.code === "UNAUTHORIZED_FIELD_OR_TYPE")).toBe(
      true,
    );
  });

  it("resolves union members behind inline fragments", () => {
    const out = run("{ search { ... on Book { pages } ... on Author { name } } }", {
      search: [
        { pages: 10, [TYPENAME_ALIAS]: "Book", [helperAlias("Book", "restricted")]: false },
        { name: "Ann", [TYPENAME_ALIAS]: "Author" },
      ],
    });
    expect(out).toEqual({ data: { search: [{ pages: 10 }, { name: "Ann" }] } });
  });
});
