import type { FeatureCase } from "./harness.ts";

// Named and inline fragments on an interface (Animal) and a union (Pet), spread into each other,
// nested, on object types inside abstract ones, with and without __typename, with aliases.

const animals = [
  { __typename: "Dog", id: "d1", name: "Rex", legs: 4, barks: true },
  { __typename: "Cat", id: "c1", name: "Tom", legs: 4, indoor: false },
  { __typename: "Dog", id: "d2", name: "Tripod", legs: 3, barks: false },
];
const fish = { __typename: "Fish", id: "f1", fins: 7 };
const pets = [animals[1], fish, animals[0]];
const all = [...animals, fish];
const byRef = (ref: { id: string }) => all.find((a) => a.id === ref.id);
const checkups: Record<string, string> = { d1: "2024-01-02", c1: "2024-03-04", f1: "2023-12-25" };

export const fragments: FeatureCase = {
  name: "fragments on abstract types",
  subgraphs: [
    {
      name: "zoo",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        interface Animal { name: String legs: Int }
        type Dog implements Animal @key(fields: "id") { id: ID! name: String legs: Int barks: Boolean }
        type Cat implements Animal @key(fields: "id") { id: ID! name: String legs: Int indoor: Boolean }
        type Fish @key(fields: "id") { id: ID! fins: Int }
        union Pet = Dog | Cat | Fish
        type Keeper { name: String favourite: Pet animals: [Animal!]! }
        type Query { animals: [Animal!]! pets: [Pet!]! keeper: Keeper }`,
      resolvers: {
        Query: {
          animals: () => animals,
          pets: () => pets,
          keeper: () => ({ name: "Ann", favourite: fish, animals: [animals[2], animals[1]] }),
        },
        Dog: { __resolveReference: byRef },
        Cat: { __resolveReference: byRef },
        Fish: { __resolveReference: byRef },
      },
    },
    {
      name: "vet",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Dog @key(fields: "id") { id: ID! lastCheckup: String }
        type Cat @key(fields: "id") { id: ID! lastCheckup: String }
        type Fish @key(fields: "id") { id: ID! lastCheckup: String }`,
      resolvers: Object.fromEntries(
        ["Dog", "Cat", "Fish"].map((t) => [
          t,
          {
            __resolveReference: (ref: { id: string }) => ({
              id: ref.id,
              lastCheckup: checkups[ref.id] ?? null,
            }),
          },
        ]),
      ),
    },
  ],
  operations: [
    { name: "no abstract type", query: "{ keeper { name } }", concrete: true },
    {
      name: "named fragment on an interface, no __typename",
      query: "query { animals { ...A } } fragment A on Animal { name legs }",
    },
    {
      name: "named fragment on an interface, with __typename",
      query: "query { animals { ...A } } fragment A on Animal { __typename name legs }",
    },
    {
      name: "inline fragments inside a named fragment on an interface",
      query: `query { animals { ...A } }
        fragment A on Animal { name ... on Dog { barks lastCheckup } ... on Cat { indoor } }`,
    },
    {
      name: "named fragment on a union, no __typename",
      query: `query { pets { ...P } }
        fragment P on Pet { ... on Dog { name } ... on Cat { name indoor } ... on Fish { fins } }`,
    },
    {
      name: "named fragment on a union, with __typename",
      query: `query { pets { ...P } }
        fragment P on Pet { __typename ... on Fish { fins lastCheckup } }`,
    },
    {
      name: "an object type's fragment spread into a union and an interface",
      query: "query { pets { ...D } animals { ...D } } fragment D on Dog { name lastCheckup }",
    },
    {
      name: "an interface's inline fragment inside a union",
      query: "{ pets { ... on Animal { name legs } ... on Fish { fins } } }",
    },
    {
      name: "fragments spreading fragments",
      query: `query { keeper { ...K } }
        fragment K on Keeper { name favourite { ...P } animals { ...A } }
        fragment P on Pet { ... on Fish { fins } ...A }
        fragment A on Animal { name ... on Cat { lastCheckup } }`,
    },
    { name: "__typename under an alias", query: "{ animals { kind: __typename name } }" },
    {
      name: "one response key from two members",
      query: "{ pets { ... on Dog { n: name } ... on Cat { n: lastCheckup } } }",
    },
    {
      name: "an inline fragment with no type condition, under @include",
      query: `query ($v: Boolean!) { animals { ... @include(if: $v) { name } legs } }`,
      variables: { v: true },
    },
  ],
};
