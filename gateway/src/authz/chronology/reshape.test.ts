import { type ExecutionResult, GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { type Expanded, expandChronology } from "./expand.ts";
import { served, spec } from "./fixture.test-support.ts";
import { reshapeChronology } from "./reshape.ts";

const QUERY = `{ person(id: 1) { name chronology { at agency item { __typename
  ... on Incident { id summary } ... on Visit { id } ... on Step { what } ... on Contact { id } } } } }`;
const expanded = expandChronology(served, spec, parse(QUERY), undefined, {}) as Expanded;

const W = "UNAUTHORIZED_FIELD_OR_TYPE";
const withheld = (path: (string | number)[], owner: string, rule: string) =>
  new GraphQLError(`withheld by ${rule}`, { path, extensions: { code: W, owner, rule } });
const visit = (id: string, at: string | null) => ({ __chronology_at: at, __typename: "Visit", id });

/** The judged answer to the expanded document: paths in the order the expansion gave them. */
function answer(visits: ReturnType<typeof visit>[], errors: GraphQLError[]): ExecutionResult {
  return {
    data: {
      person: {
        name: null,
        __chronology_0: "Person",
        __chronology_0_0: [
          { __chronology_at: "2024-01-02T00:00:00Z", __typename: "Contact", id: "C1" },
        ],
        __chronology_0_1: { visits },
        __chronology_0_2: [
          {
            steps: [
              { __chronology_at: "2024-01-02T00:00:00Z", __typename: "Step", what: "opened" },
            ],
          },
          { steps: null },
        ],
        __chronology_0_3: {
          incidents: [
            {
              __chronology_at: "2024-01-01T00:00:00Z",
              __typename: "Incident",
              id: "I1",
              summary: null,
            },
          ],
        },
      },
    },
    errors: [
      withheld(["person", "name"], "hub", "names"),
      withheld(["person", "__chronology_0_3", "incidents", 0, "summary"], "police", "summaries"),
      withheld(["person", "__chronology_0_2", 1, "steps"], "hub", "steps"),
      ...errors,
    ],
  };
}

describe("reshapeChronology", () => {
  const twoWithheld = reshapeChronology(
    expanded,
    answer(
      [visit("V1", "2024-01-03"), visit("V2", null), visit("V3", null)],
      [
        withheld(["person", "__chronology_0_1", "visits", 1, "__chronology_at"], "health", "dates"),
        withheld(["person", "__chronology_0_1", "visits", 2, "__chronology_at"], "health", "dates"),
        withheld(["person", "__chronology_0_1", "visits", 2, "id"], "health", "ids"),
      ],
    ),
  );

  it("builds the entries newest first, ties by agency then path, the aliases gone", () => {
    expect(twoWithheld.data).toEqual({
      person: {
        name: null,
        chronology: [
          { at: "2024-01-03", agency: "health", item: { __typename: "Visit", id: "V1" } },
          { at: "2024-01-02T00:00:00Z", agency: "hub", item: { __typename: "Contact", id: "C1" } },
          {
            at: "2024-01-02T00:00:00Z",
            agency: "hub",
            item: { __typename: "Step", what: "opened" },
          },
          {
            at: "2024-01-01T00:00:00Z",
            agency: "police",
            item: { __typename: "Incident", id: "I1", summary: null },
          },
        ],
      },
    });
    expect(JSON.stringify(twoWithheld.data)).not.toContain("__chronology");
  });

  it("says each withheld part once at the chronology, and moves a shown item's errors with it", () => {
    const said = (twoWithheld.errors ?? []).map((e) => [e.path, e.extensions.rule]);
    expect(said).toEqual([
      [["person", "name"], "names"],
      [["person", "chronology"], "dates"],
      [["person", "chronology"], "steps"],
      [["person", "chronology", 3, "item", "summary"], "summaries"],
    ]);
  });

  it("answers the same however many items a withheld date held back", () => {
    const oneWithheld = reshapeChronology(
      expanded,
      answer(
        [visit("V1", "2024-01-03"), visit("V2", null)],
        [
          withheld(
            ["person", "__chronology_0_1", "visits", 1, "__chronology_at"],
            "health",
            "dates",
          ),
        ],
      ),
    );
    expect(JSON.stringify(oneWithheld)).toBe(JSON.stringify(twoWithheld));
  });

  it("says an agency that did not answer is missing, once, at the chronology", () => {
    const result = answer([], []);
    const person = (result.data as { person: Record<string, unknown> }).person;
    person.__chronology_0_3 = null;
    const down = new GraphQLError("The police are not answering: missing, not withheld.", {
      path: ["person", "__chronology_0_3"],
      extensions: { code: "AGENCY_UNAVAILABLE", agency: "police" },
    });
    const reshaped = reshapeChronology(expanded, {
      ...result,
      errors: [...(result.errors ?? []).filter((e) => e.extensions.rule !== "summaries"), down],
    });
    const chronology = (reshaped.data as { person: { chronology: { agency: string }[] } }).person
      .chronology;
    expect(chronology.map((e) => e.agency)).toEqual(["hub", "hub"]);
    expect(
      (reshaped.errors ?? [])
        .filter((e) => e.extensions.code === "AGENCY_UNAVAILABLE")
        .map((e) => [e.path, e.extensions.agency]),
    ).toEqual([[["person", "chronology"], "police"]]);
  });

  it("leaves a withheld person null, and an answer without data as it was", () => {
    expect(reshapeChronology(expanded, { data: { person: null } }).data).toEqual({ person: null });
    const failed = { errors: [new GraphQLError("no")] };
    expect(reshapeChronology(expanded, failed)).toEqual(failed);
  });
});
