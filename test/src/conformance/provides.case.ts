import type { FeatureCase } from "./harness.ts";

// @provides on fields returning an interface (latest: [Product]) and a union (items: [Item]):
// feed serves the titles it provides, so the gateway only goes to shop for the rest. feed's
// Product has only the id: an interface field cannot be @external, so provided fields are named
// per implementation, and shop's titles are @shareable because feed may serve them.

const products = [
  { __typename: "Book", id: "b1", title: "Middlemarch", price: 12 },
  { __typename: "Magazine", id: "g1", title: "The Economist", issue: 9412 },
  { __typename: "Book", id: "b2", title: "Persuasion", price: 8 },
];
const byId = (id: string) => products.find((p) => p.id === id);
// What feed knows: the same titles shop has (a subgraph may provide only what is true).
const provided = products.map(({ __typename, id, title }) => ({ __typename, id, title }));

export const provides: FeatureCase = {
  name: "@provides on interfaces and unions",
  subgraphs: [
    {
      name: "shop",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        interface Product { id: ID! title: String }
        type Book implements Product @key(fields: "id") { id: ID! title: String @shareable price: Int }
        type Magazine implements Product @key(fields: "id") {
          id: ID! title: String @shareable issue: Int
        }
        type Query { product(id: ID!): Product book(id: ID!): Book }`,
      resolvers: {
        Query: {
          product: (_: unknown, { id }: { id: string }) => byId(id),
          book: (_: unknown, { id }: { id: string }) => byId(id),
        },
        Book: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
        Magazine: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
      },
    },
    {
      name: "feed",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])
        interface Product { id: ID! }
        type Book implements Product @key(fields: "id") { id: ID! title: String @external }
        type Magazine implements Product @key(fields: "id") { id: ID! title: String @external }
        union Item = Book | Magazine
        type Query {
          latest: [Product!]! @provides(fields: "... on Book { title } ... on Magazine { title }")
          items: [Item!]! @provides(fields: "... on Book { title } ... on Magazine { title }")
        }`,
      resolvers: {
        Query: { latest: () => provided, items: () => [provided[1], provided[0]] },
      },
    },
  ],
  operations: [
    { name: "no abstract type", query: `{ book(id: "b1") { title price } }`, concrete: true },
    { name: "a provided interface field, no __typename", query: "{ latest { id title } }" },
    {
      name: "a provided interface field, with __typename",
      query: "{ latest { __typename title } }",
    },
    {
      name: "provided and unprovided fields of an interface",
      query: "{ latest { title ... on Book { price } ... on Magazine { issue } } }",
    },
    {
      name: "provided fields of union members",
      query: "{ items { ... on Book { title } ... on Magazine { title } } }",
    },
    {
      name: "provided and unprovided fields of union members",
      query: "{ items { __typename ... on Book { title price } ... on Magazine { issue } } }",
    },
    { name: "an interface from the other subgraph", query: `{ product(id: "g1") { id title } }` },
  ],
};
