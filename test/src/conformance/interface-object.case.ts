import type { FeatureCase } from "./harness.ts";

// @interfaceObject: ratings adds fields to the entity interface Media without knowing Book or
// Movie, and serves a root field of Media; the gateway asks catalog which type each one is.

const media = [
  { __typename: "Book", id: "b1", title: "Dune", pages: 412 },
  { __typename: "Movie", id: "m1", title: "Dune: Part Two", minutes: 166 },
  { __typename: "Book", id: "b2", title: "Emma", pages: 474 },
];
const byId = (id: string) => media.find((m) => m.id === id);
const ratings: Record<string, { rating: number; reviews: { stars: number; text: string }[] }> = {
  b1: { rating: 9, reviews: [{ stars: 5, text: "Spice" }] },
  m1: {
    rating: 8,
    reviews: [
      { stars: 4, text: "Loud" },
      { stars: 5, text: "Sand" },
    ],
  },
  b2: { rating: 7, reviews: [] },
};

export const interfaceObject: FeatureCase = {
  name: "@interfaceObject",
  subgraphs: [
    {
      name: "catalog",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        interface Media @key(fields: "id") { id: ID! title: String }
        type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
        type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }
        type Query { media: [Media!]! book(id: ID!): Book }`,
      resolvers: {
        Query: { media: () => media, book: (_: unknown, { id }: { id: string }) => byId(id) },
        Media: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
        Book: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
        Movie: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
      },
    },
    {
      name: "ratings",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
        type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int reviews: [Review!]! }
        type Review { stars: Int text: String }
        type Query { topRated: [Media!]! }`,
      resolvers: {
        Query: { topRated: () => [{ id: "b1" }, { id: "m1" }] },
        Media: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, ...ratings[ref.id] }),
          rating: (m: { id: string }) => ratings[m.id]?.rating ?? null,
          reviews: (m: { id: string }) => ratings[m.id]?.reviews ?? [],
        },
      },
    },
  ],
  operations: [
    {
      name: "an implementation's fields added by the interface object (no abstract type)",
      query: `{ book(id: "b1") { title rating reviews { stars } } }`,
      concrete: true,
    },
    { name: "interface-object fields on a list, no __typename", query: "{ media { id rating } }" },
    {
      name: "interface-object fields on a list, with __typename",
      query: "{ media { __typename id rating } }",
    },
    { name: "the interface object's own root field", query: "{ topRated { id title rating } }" },
    {
      name: "the interface object's root field, resolved to implementations",
      query: `{ topRated { __typename id ... on Book { pages } ... on Movie { minutes } } }`,
    },
    {
      name: "interface-object fields inside an inline fragment",
      query: "{ media { ... on Movie { title reviews { stars text } } } }",
    },
  ],
};
