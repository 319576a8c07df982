import {
  buildSchema,
  type FieldNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
} from "graphql";
import { describe, expect, it } from "vitest";
import type { Judge } from "./judge.ts";
import { fetchNarrowing, narrowedFetches, OUTSIDE } from "./narrow-fetch.ts";

const schema = buildSchema(`
  type Query { subject(id: ID!): Subject }
  type Subject { id: ID! name: String police: Police household: [Subject] badge: Police! }
  type Police { known: Boolean incidents(since: String): [Incident] grading: String }
  type Incident { id: ID summary: String }
  type Other { id: ID! police: Police }
`);

/** A judge for people in enquiry E (S-1, S-2): outside it, only name, police and known. */
let judgeKey = 0;
const judgeWith = (outsideMay: string[] = ["Subject.name", "Subject.police", "Police.known"]) =>
  ({
    key: `test-${judgeKey++}`,
    scopeType: "Subject",
    scopeKey: "id",
    inEnquiry: (id: string | undefined) => id === "S-1" || id === "S-2",
    mayShowOutside: (type: string, field: string) => outsideMay.includes(`${type}.${field}`),
  }) as unknown as Judge;

/** The narrowing for one request, told its plan (as the plan guard tells it) and its inputs. */
const narrowingFor = (judge: Judge, inputs: string[] = []) => {
  const narrowing = fetchNarrowing(schema, judge);
  narrowing?.planned({}, new Set(inputs));
  return narrowing;
};

const entities = (selection: string, variables = "") =>
  `query Q__police__1($representations:[_Any!]!${variables}){_entities(representations:$representations){...on Subject{${selection}}}}`;

const reps = (...ids: (string | undefined)[]) =>
  ids.map((id) => (id === undefined ? { __typename: "Subject" } : { __typename: "Subject", id }));

/** The root field under a response key, printed. */
const rootOf = (query: string, key: string) => {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  const root = operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && (s.alias ?? s.name).value === key,
  );
  return root ? print(root).replace(/\s+/g, " ") : undefined;
};

describe("entity fetches narrowed by purpose", () => {
  it("splits the people by the judge's own test, and asks the rest only what they may see", () => {
    const split = narrowingFor(judgeWith())?.split(
      entities("police{known incidents{id summary}} name"),
      [...reps("S-1", "S-9", "S-2", undefined), { __typename: "Other", id: "S-8" }],
    );
    expect(split?.inside).toEqual([0, 2, 3, 4]);
    expect(split?.outside).toEqual([1]);
    const both = split?.asked?.both ?? "";
    expect(rootOf(both, "_entities")).toContain("incidents");
    expect(rootOf(both, OUTSIDE)).toBe(
      `${OUTSIDE}: _entities(representations: $${OUTSIDE}) { ... on Subject { police { known } name } }`,
    );
    expect(rootOf(split?.asked?.alone ?? "", "_entities")).toBe(
      "_entities(representations: $representations) { ... on Subject { police { known } name } }",
    );
    expect(both).toContain(`$${OUTSIDE}: [_Any!]!`);
  });

  it("keeps non-null fields, helpers, __typename and a person's own selection whole", () => {
    const judge = judgeWith([
      "Subject.name",
      "Subject.police",
      "Police.known",
      "Subject.household",
    ]);
    const split = narrowingFor(judge)?.split(
      entities(
        "__typename _authz_Subject__grading: name badge{grading} household{police{incidents{id}}} police{grading}",
      ),
      reps("S-9"),
    );
    const outside = rootOf(split?.asked?.alone ?? "", "_entities");
    // badge is non-null: left out, it would null the person (what is in it may go); household
    // holds people of their own, who may be in the enquiry.
    expect(outside).toBe(
      "_entities(representations: $representations) { ... on Subject { __typename _authz_Subject__grading: name badge { __typename } household { police { incidents { id } } } police { __typename } } }",
    );
  });

  it("asks nothing of people outside when nothing asked could be shown them", () => {
    const split = narrowingFor(judgeWith([]))?.split(entities("police{known}"), reps("S-1", "S-9"));
    expect(split).toMatchObject({ inside: [0], outside: [1], asked: null });
  });

  it("leaves a fetch as planned when nothing is narrowed, or where it cannot tell", () => {
    const narrowing = narrowingFor(judgeWith(["Subject.police", "Police.known"]));
    // Everything asked may be shown outside too.
    expect(narrowing?.split(entities("police{known}"), reps("S-9"))).toBeUndefined();
    // Everyone is inside.
    expect(narrowing?.split(entities("police{incidents{id}}"), reps("S-1"))).toBeUndefined();
    const cannot = [
      // A fragment spread.
      `query Q($representations:[_Any!]!){_entities(representations:$representations){...on Subject{...F}}} fragment F on Subject{police{incidents{id}}}`,
      `query Q($representations:[_Any!]!){_entities(representations:$representations){...on Subject{police{...F}}}}`,
      // Another entity type.
      `query Q($representations:[_Any!]!){_entities(representations:$representations){...on Other{police{incidents{id}}}}}`,
      // Not an entity fetch, or two roots.
      `query Q{subject(id:"S-9"){police{incidents{id}}}}`,
      `query Q($representations:[_Any!]!){_entities(representations:$representations){...on Subject{police{incidents{id}}}} again:_entities(representations:$representations){__typename}}`,
      // The variable the split needs is taken.
      `query Q($representations:[_Any!]!,$${OUTSIDE}:String){_entities(representations:$representations){...on Subject{police{incidents(since:$${OUTSIDE}){id}}}}}`,
      // A field the schema does not have; a text that does not parse.
      entities("police{unknown}"),
      "query {",
    ];
    for (const query of cannot) expect(narrowing?.split(query, reps("S-9"))).toBeUndefined();
  });

  it("drops the variables only a left-out field used from the narrowed fetch alone", () => {
    const split = narrowingFor(judgeWith())?.split(
      entities("police{known incidents(since:$since){id}}", ",$since:String"),
      reps("S-1", "S-9"),
    );
    expect(split?.asked?.unused).toEqual(["since"]);
    expect(split?.asked?.alone).not.toContain("$since");
    // Together, the planned field still uses it.
    expect(split?.asked?.both).toContain("$since: String");
  });

  it("is off while the switch for differential tests is off", () => {
    narrowedFetches.enabled = false;
    try {
      expect(
        narrowingFor(judgeWith())?.split(entities("police{incidents{id}}"), reps("S-9")),
      ).toBeUndefined();
    } finally {
      narrowedFetches.enabled = true;
    }
  });

  it("narrows nothing before the plan guard has told it the plan", () => {
    const narrowing = fetchNarrowing(schema, judgeWith());
    expect(narrowing?.split(entities("police{incidents{id}}"), reps("S-9"))).toBeUndefined();
  });

  it("keeps what the plan hands to a later fetch, even where no one outside may see it", () => {
    const split = narrowingFor(judgeWith(), ["Police.grading"])?.split(
      entities("police{known grading incidents{id}}"),
      reps("S-9"),
    );
    expect(rootOf(split?.asked?.alone ?? "", "_entities")).toBe(
      "_entities(representations: $representations) { ... on Subject { police { known grading } } }",
    );
  });

  it("drops a person's fragment left empty, and asks nothing when none is left", () => {
    const twice = `query Q($representations:[_Any!]!,$x:Boolean!){_entities(representations:$representations){...on Subject{police{known}} ...on Subject @include(if:$x){badge{grading}} ...on Subject @skip(if:$x){household{id}}}}`;
    const split = narrowingFor(judgeWith())?.split(twice, reps("S-9"));
    expect(rootOf(split?.asked?.alone ?? "", "_entities")).toBe(
      "_entities(representations: $representations) { ... on Subject { police { known } } ... on Subject @include(if: $x) { badge { __typename } } }",
    );
    const none = narrowingFor(judgeWith([]))?.split(
      `query Q($representations:[_Any!]!,$x:Boolean!){_entities(representations:$representations){__typename ...on Subject @skip(if:$x){household{id}}}}`,
      reps("S-9"),
    );
    expect(none?.asked).toBeNull();
  });
});
