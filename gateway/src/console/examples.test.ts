import { Kind, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DEFAULT_OPERATIONS_DIR } from "./build.ts";
import { buildDefaultTabs, EXAMPLES } from "./examples.ts";
import { loadOperations } from "./operations.ts";

const operations = await loadOperations(DEFAULT_OPERATIONS_DIR);

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

  it("still opens a tab for an operation it has no example for", () => {
    const tabs = buildDefaultTabs([
      ...operations,
      { name: "Aardvark", document: "{ __typename }" },
    ]);
    expect(tabs.at(-1)).toEqual({ query: "{ __typename }", variables: null, headers: null });
  });
});
