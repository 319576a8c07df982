import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Kind, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DEFAULT_OPERATIONS_DIR } from "./build.ts";
import { buildDefaultTabs, EXAMPLES, TAB_ORDER } from "./examples.ts";
import { loadOperations } from "./operations.ts";

const operations = await loadOperations(DEFAULT_OPERATIONS_DIR);
const FIXTURES = fileURLToPath(
  new URL("../../../subgraphs/kit/contract/fixtures.yaml", import.meta.url),
);

function definition(document: string): OperationDefinitionNode {
  const found = parse(document).definitions.find((node) => node.kind === Kind.OPERATION_DEFINITION);
  if (found?.kind !== Kind.OPERATION_DEFINITION) throw new Error("no operation");
  return found;
}

describe("console examples", () => {
  it.each(operations.map((operation) => [operation.name, operation.document]))(
    "%s has example variables matching its declared variables",
    (name, document) => {
      const variables = definition(document).variableDefinitions ?? [];
      const required = variables
        .filter((variable) => variable.type.kind === Kind.NON_NULL_TYPE && !variable.defaultValue)
        .map((variable) => variable.variable.name.value);
      const declared = variables.map((variable) => variable.variable.name.value);
      const example = Object.keys(EXAMPLES[name]?.variables ?? {});
      expect(example).toEqual(expect.arrayContaining(required));
      for (const key of example) expect(declared).toContain(key);
    },
  );

  it("opens one tab per operation, SubjectOverview first, with its variables", () => {
    const tabs = buildDefaultTabs(operations);
    expect(tabs).toHaveLength(operations.length);
    expect(tabs[0]?.query).toMatch(/^query SubjectOverview\(/);
    expect(JSON.parse(tabs[0]?.variables ?? "{}")).toEqual({ id: "S-1001" });
  });

  it("leaves headers to the sign-in and purpose pickers: no tab hard-codes any", () => {
    const tabs = buildDefaultTabs(operations);
    for (const tab of tabs) expect(tab.headers).toBeNull();
    expect(JSON.stringify(tabs)).not.toMatch(/X-MASH-Enquiry|Authorization/i);
  });

  it("gives every operation an example and a place in the walk-through order", () => {
    const names = operations.map((operation) => operation.name).sort();
    expect(Object.keys(EXAMPLES).sort()).toEqual(names);
    expect([...TAB_ORDER].sort()).toEqual(names);
  });

  it("takes an earlier step's id only from a step before it in the tabs", () => {
    const users = new Set(
      [...readFileSync(FIXTURES, "utf8").matchAll(/username: ([\w.]+)/g)].map((m) => m[1]),
    );
    for (const [name, example] of Object.entries(EXAMPLES)) {
      if (example.as !== undefined) expect(users, name).toContain(example.as);
      const text = JSON.stringify(example.variables ?? {});
      for (const [, step] of text.matchAll(/<id returned by (\w+)>/g)) {
        expect(TAB_ORDER.indexOf(step as string), `${name} uses ${step}`).toBeGreaterThanOrEqual(0);
        expect(TAB_ORDER.indexOf(step as string), name).toBeLessThan(TAB_ORDER.indexOf(name));
      }
    }
  });

  it("still opens a tab for an operation it has no example for", () => {
    const tabs = buildDefaultTabs([
      ...operations,
      { name: "Aardvark", document: "{ __typename }" },
    ]);
    expect(tabs.at(-1)).toEqual({ query: "{ __typename }", variables: null, headers: null });
  });
});
