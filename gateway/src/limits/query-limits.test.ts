import { readFileSync } from "node:fs";
import { buildASTSchema, getIntrospectionQuery, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { supergraphFile } from "../compose/schema-files.ts";
import { defaultQueryLimits, operationTypeExistsRule, queryLimitsRule } from "./query-limits.ts";

const schema = buildASTSchema(parse(readFileSync(supergraphFile, "utf8")), {
  assumeValidSDL: true,
});
const check = (query: string) =>
  validate(schema, parse(query), [
    ...specifiedRules,
    operationTypeExistsRule,
    queryLimitsRule(defaultQueryLimits),
  ]).map((e) => [e.extensions.limit, e.message]);
const operation = (name: string) =>
  readFileSync(new URL(`../../operations/${name}.graphql`, import.meta.url), "utf8");

describe("query limits", () => {
  it("let every contract operation through", () => {
    for (const name of [
      "SubjectOverview",
      "FindSubject",
      "EnquiryWorkspace",
      "OpenEnquiry",
      "CloseEnquiry",
    ]) {
      expect(check(operation(name)), name).toEqual([]);
    }
  });

  it("refuse deep nesting, naming depth and limit", () => {
    let q = "id";
    for (let i = 0; i < 14; i++) q = `household { ${q} }`;
    expect(check(`{ subject(id: "S-1") { ${q} } }`)).toContainEqual([
      "depth",
      "The query is nested 16 levels deep; the limit is 12.",
    ]);
  });

  it("refuse alias floods", () => {
    const fields = Array.from({ length: 40 }, (_, i) => `a${i}: subject(id: "S-${i}") { id }`).join(
      " ",
    );
    expect(check(`{ ${fields} }`).map((e) => e[0])).toContain("aliases");
  });

  it("count fragments as often as they are spread, without exploding", () => {
    const spreads = (name: string, inner: string) =>
      `fragment ${name} on Subject { ${Array.from({ length: 8 }, () => `...${inner}`).join(" ")} household { id } }`;
    const doc = `{ subjects(ids: ["S-1"]) { ...F0 } }
      ${spreads("F0", "F1")} ${spreads("F1", "F2")} ${spreads("F2", "F3")} ${spreads("F3", "F4")}
      fragment F4 on Subject { household { household { id } } }`;
    expect(check(doc).map((e) => e[0])).toContain("cost");
  });

  it("let the standard introspection query through", () => {
    expect(check(getIntrospectionQuery())).toEqual([]);
  });

  it("refuse operation types the graph does not have", () => {
    expect(check("subscription { __typename }")).toContainEqual([
      undefined,
      "This graph has no subscription operations.",
    ]);
  });

  it("multiply by the list sizes the query states", () => {
    const ids = JSON.stringify(Array.from({ length: 100 }, (_, i) => `S-${i}`));
    const wide = `{ subjects(ids: ${ids}) { household { household { household { id name { given family } } } } } }`;
    expect(check(wide).map((e) => e[0])).toEqual(["cost"]);
  });
});
