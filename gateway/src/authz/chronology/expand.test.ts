import { type DocumentNode, parse, print, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { expandChronology } from "./expand.ts";
import { api, served, spec } from "./fixture.test-support.ts";
import { ChronologyRefused } from "./refused.ts";

const expand = (query: string, variables: Record<string, unknown> = {}, name?: string) =>
  expandChronology(served, spec, parse(query), name, variables);
const printed = (document: DocumentNode | undefined) =>
  document ? print(document).replace(/\s+/g, " ") : undefined;

describe("expandChronology", () => {
  it("leaves a document without the field alone", () => {
    expect(expand("{ person(id: 1) { name } }")).toBe(undefined);
  });

  it("replaces the field by a marker and each path under its own alias, the date beside the item's selection for its type", () => {
    const expanded = expand(`{
      person(id: 1) {
        name
        chronology { at agency item { __typename ... on Incident { summary } ... on Step { what } } }
      }
    }`);
    expect(printed(expanded?.document)).toBe(
      "{ person(id: 1) { name __chronology_0: __typename " +
        "__chronology_0_0: contacts { __chronology_at: receivedAt __typename } " +
        "__chronology_0_1: health { visits { __chronology_at: attendedAt __typename } } " +
        "__chronology_0_2: cases { steps { __chronology_at: at __typename ... on Step { what } } } " +
        "__chronology_0_3: police { incidents { __chronology_at: occurredAt __typename ... on Incident { summary } } } } }",
    );
    // What is planned and judged is an ordinary query of the graph the subgraphs compose to.
    expect(validate(api, expanded?.document as DocumentNode)).toEqual([]);
    expect(expanded?.instances[0]).toMatchObject({
      responseKey: "chronology",
      entryKeys: [
        { key: "at", field: "at" },
        { key: "agency", field: "agency" },
        { key: "item", field: "item" },
      ],
    });
  });

  it("expands fragments, keeps directives, and fetches only the agencies asked for", () => {
    const expanded = expand(
      `query Q($agencies: [String!], $more: Boolean!) {
        person(id: 1) { ...P }
      }
      fragment P on Person { timeline: chronology(agencies: $agencies) @include(if: $more) { ...E } }
      fragment E on ChronologyEntry { when: at item { ...I } }
      fragment I on ChronologyItem { ... on Visit { reason } ... on Incident { summary } }`,
      { agencies: ["health"], more: true },
      "Q",
    );
    expect(printed(expanded?.document)).toBe(
      "query Q($agencies: [String!], $more: Boolean!) { person(id: 1) { ... on Person { " +
        "__chronology_0: __typename @include(if: $more) " +
        "__chronology_0_0: health @include(if: $more) { visits { __chronology_at: attendedAt ... { ... on Visit { reason } } } } } } }",
    );
    expect(expanded?.instances[0]?.responseKey).toBe("timeline");
    expect(expanded?.instances[0]?.entryKeys).toEqual([
      { key: "when", field: "at" },
      { key: "item", field: "item" },
    ]);
  });

  it("expands each chronology asked for, wherever the person is", () => {
    const expanded = expand(
      "{ person(id: 1) { chronology { at } household { chronology(agencies: []) { agency } } } }",
    );
    expect(expanded?.instances.map((i) => i.paths.length)).toEqual([4, 0]);
    expect(printed(expanded?.document)).toContain("household { __chronology_1: __typename }");
  });

  it.each([
    [
      '{ person(id: 1) { chronology(agencies: ["police", "polise"]) { at } } }',
      /knows no agency "polise"; the agencies are health, hub, police/,
    ],
    ["{ person(id: 1) { __chronology_0: name chronology { at } } }", /gateway's own/],
    [
      "{ person(id: 1) { chronology { a: item { __typename } b: item { __typename } } } }",
      /item once/,
    ],
    [
      "{ person(id: 1) { chronology { item { ... on Contact { about { chronology { at } } } } } } }",
      /inside a chronology's item/,
    ],
  ])("refuses %s", (query, message) => {
    let refused: unknown;
    try {
      expand(query);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ChronologyRefused);
    expect((refused as ChronologyRefused).message).toMatch(message);
    expect((refused as ChronologyRefused).extensions).toMatchObject({ code: "BAD_USER_INPUT" });
  });
});
