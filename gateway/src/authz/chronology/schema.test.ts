import { extendSchema, type GraphQLObjectType, type GraphQLUnionType, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { type MayGive, pruneSchema } from "../prune-schema.ts";
import { api, served, spec } from "./fixture.test-support.ts";
import { chronologyGiven, chronologyOf, withChronology } from "./schema.ts";

const policeOnly: MayGive = (type, field) =>
  (type === "Query" && field === "person") ||
  (type === "Person" && (field === "police" || field === "name")) ||
  (type === "PoliceSection" && field === "incidents") ||
  type === "Incident";

describe("the chronology in the API schema", () => {
  it("adds the field, its entry and the union of the dated types, and nothing else", () => {
    const person = served.getType("Person") as GraphQLObjectType;
    expect(String(person.getFields().chronology?.type)).toBe("[ChronologyEntry!]");
    expect(person.getFields().chronology?.args.map((a) => `${a.name}: ${a.type}`)).toEqual([
      "agencies: [String!]",
    ]);
    const union = served.getType("ChronologyItem") as GraphQLUnionType;
    expect(union.getTypes().map((t) => t.name)).toEqual(["Contact", "Incident", "Step", "Visit"]);
    const added = Object.keys(served.getTypeMap()).filter((n) => !api.getType(n));
    expect(added.sort()).toEqual(["ChronologyEntry", "ChronologyItem"]);
    expect(chronologyOf(served)).toBe(spec);
    expect(chronologyOf(api)).toBe(undefined);
  });

  it("refuses a graph that already has one of its names", () => {
    const taken = extendSchema(api, parse("type ChronologyEntry { x: Int }"));
    expect(() => withChronology(taken, spec)).toThrow(/already has a type ChronologyEntry/);
  });
});

describe("the chronology in a role schema", () => {
  it("is given when some path's fields and its date may be", () => {
    const given = chronologyGiven(served, policeOnly);
    expect(given("Person", "chronology")).toBe(true);
    expect(given("ChronologyEntry", "item")).toBe(true);
    const role = pruneSchema(served, given);
    const union = role.getType("ChronologyItem") as GraphQLUnionType;
    expect(union.getTypes().map((t) => t.name)).toEqual(["Incident"]);
  });

  it("is not there for a role given no dated item's date", () => {
    const noDates: MayGive = (type, field) => policeOnly(type, field) && field !== "occurredAt";
    const role = pruneSchema(served, chronologyGiven(served, noDates));
    expect((role.getType("Person") as GraphQLObjectType).getFields().chronology).toBeUndefined();
    expect(role.getType("ChronologyEntry")).toBeUndefined();
  });
});
