import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Kind, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DEFAULT_OPERATIONS_DIR } from "../build/build.ts";
import { loadOperations } from "../build/operations.ts";
import { buildDefaultTabs, tabHeader } from "./default-tabs.ts";
import { DEFAULT_USER, EXAMPLES, suggestedSignIn, TAB_ORDER } from "./examples.ts";
import { returnedBy, stepsNamedIn } from "./returned-ids.ts";

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
    expect(tabs[0]?.query).toMatch(
      /^# Sign in as sw\.patel, pick Enquiry ENQ-2001; Ctrl-Enter runs it\.\nquery SubjectOverview\(/,
    );
    expect(JSON.parse(tabs[0]?.variables ?? "{}")).toEqual({ id: "S-1001" });
  });

  it("puts the console's lines above each operation and leaves the contract's text as written", () => {
    const tabs = buildDefaultTabs(operations);
    for (const operation of operations) {
      const tab = tabs.find((candidate) => candidate.query?.endsWith(operation.document));
      expect(tab, operation.name).toBeDefined();
      const header = (tab?.query ?? "").slice(0, -operation.document.length);
      expect(header).toBe(tabHeader(operation.name));
      const lines = header.trimEnd().split("\n");
      for (const line of lines) {
        expect(line, operation.name).toMatch(/^# /);
        expect(line.length, line).toBeLessThanOrEqual(72);
      }
      expect(definition(tab?.query ?? "").name?.value).toBe(operation.name);
    }
  });

  it("tells each tab whom to sign in as, and which steps to run first", () => {
    for (const name of TAB_ORDER) {
      const { user, enquiry } = suggestedSignIn(name);
      expect(user, name).toBe(EXAMPLES[name]?.as ?? DEFAULT_USER);
      const header = tabHeader(name).replace(/\n# /g, " ");
      expect(header, name).toContain(`Sign in as ${user}`);
      if (enquiry) expect(header, name).toContain(`pick Enquiry ${enquiry}`);
      for (const step of stepsNamedIn(EXAMPLES[name]?.variables)) {
        expect(header, name).toContain(`"${returnedBy(step)}" is sent as the id the ${step} tab`);
      }
    }
    expect(tabHeader("Aardvark")).toBe("");
  });

  it("names by placeholder only steps whose answer carries an id to fill it with", () => {
    const byName = new Map(operations.map((operation) => [operation.name, operation.document]));
    const named = new Set(
      Object.values(EXAMPLES).flatMap((example) => stepsNamedIn(example.variables)),
    );
    expect(named.size).toBeGreaterThan(0);
    for (const step of named) {
      const root = definition(byName.get(step) ?? "").selectionSet.selections;
      expect(root, step).toHaveLength(1);
      const [field] = root;
      const fields =
        field?.kind === Kind.FIELD
          ? (field.selectionSet?.selections ?? []).map((s) => s.kind === Kind.FIELD && s.name.value)
          : [];
      expect(fields, step).toContain("id");
    }
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
    // No example, so no console lines either: the operation as written.
    expect(tabs.at(-1)).toEqual({ query: "{ __typename }", variables: null, headers: null });
  });
});
