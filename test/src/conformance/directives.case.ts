import type { FeatureCase } from "./harness.ts";

// @include and @skip with variables: on fields, on a field served by another subgraph, on
// named and inline fragments (also on abstract types), with default values and both at once.

const people = [
  { id: "p1", name: "Ann", age: 31 },
  { id: "p2", name: "Ben", age: 45 },
];
const pets: Record<string, unknown[]> = {
  p1: [
    { __typename: "Dog", name: "Rex", breed: "Collie" },
    { __typename: "Cat", name: "Tom", lives: 9 },
  ],
  p2: [],
};

export const directives: FeatureCase = {
  name: "@include and @skip",
  subgraphs: [
    {
      name: "people",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Person @key(fields: "id") { id: ID! name: String age: Int }
        type Query { people: [Person!]! }`,
      resolvers: {
        Query: { people: () => people },
        Person: {
          __resolveReference: (ref: { id: string }) => people.find((p) => p.id === ref.id),
        },
      },
    },
    {
      name: "pets",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Person @key(fields: "id") { id: ID! pets: [Pet!]! }
        interface Pet { name: String }
        type Dog implements Pet { name: String breed: String }
        type Cat implements Pet { name: String lives: Int }`,
      resolvers: {
        Person: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
          pets: (p: { id: string }) => pets[p.id] ?? [],
        },
      },
    },
  ],
  operations: [
    ...[
      { withAge: true, skipName: true },
      { withAge: false, skipName: false },
    ].map((variables) => ({
      name: `on fields: ${JSON.stringify(variables)}`,
      query: `query ($withAge: Boolean!, $skipName: Boolean!) {
        people { id name @skip(if: $skipName) age @include(if: $withAge) } }`,
      variables,
      concrete: true,
    })),
    ...[true, false].map((withPets) => ({
      name: `on a field of another subgraph: ${withPets}`,
      query: `query ($withPets: Boolean!) { people { name pets @include(if: $withPets) { name } } }`,
      variables: { withPets },
      concrete: !withPets,
    })),
    ...[true, false].map((d) => ({
      name: `on a named fragment: ${d}`,
      query: `query ($d: Boolean!) { people { ...F @include(if: $d) } } fragment F on Person { age }`,
      variables: { d },
      concrete: true,
    })),
    ...[true, false].map((noDogs) => ({
      name: `on inline fragments of an interface: ${noDogs}`,
      query: `query ($noDogs: Boolean!) {
        people { pets { name ... on Dog @skip(if: $noDogs) { breed } ... on Cat { lives } } } }`,
      variables: { noDogs },
    })),
    {
      name: "a variable's default value",
      query: "query ($v: Boolean = false) { people { name age @include(if: $v) } }",
      concrete: true,
    },
    {
      name: "@include and @skip on one field",
      query: `query ($a: Boolean!, $b: Boolean!) {
        people { x: name @include(if: $a) @skip(if: $b) y: age @include(if: $b) @skip(if: $a) } }`,
      variables: { a: true, b: false },
      concrete: true,
    },
  ],
};
