import type { FeatureCase } from "./harness.ts";

// An entity interface (Media @key) whose implementations another subgraph extends; an interface
// implementing an interface (Node); an interface field returning an interface (creator); lists
// of interfaces inside lists (shelves).

const creators = {
  tolkien: { __typename: "Author", name: "J. R. R. Tolkien", penName: "JRRT" },
  jackson: { __typename: "Director", name: "Peter Jackson", studio: "Wingnut" },
  leguin: { __typename: "Author", name: "Ursula K. Le Guin", penName: null },
};
const media = [
  {
    __typename: "Book",
    id: "b1",
    title: "The Hobbit",
    pages: 310,
    restricted: false,
    creator: creators.tolkien,
  },
  {
    __typename: "Movie",
    id: "m1",
    title: "The Two Towers",
    minutes: 179,
    creator: creators.jackson,
  },
  {
    __typename: "Book",
    id: "b2",
    title: "A Wizard of Earthsea",
    pages: 183,
    restricted: true,
    creator: creators.leguin,
  },
  { __typename: "Movie", id: "m2", title: "Bad Taste", minutes: 91, creator: creators.jackson },
];
const byId = (id: string) => media.find((m) => m.id === id) ?? null;
const reviews: Record<string, { reviewCount: number; rating?: number }> = {
  b1: { reviewCount: 12 },
  b2: { reviewCount: 3 },
  m1: { reviewCount: 40, rating: 8.7 },
  m2: { reviewCount: 5, rating: 6.4 },
};

export const interfaces: FeatureCase = {
  name: "interfaces",
  subgraphs: [
    {
      name: "library",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        interface Node { id: ID! }
        interface Creator { name: String }
        type Author implements Creator { name: String penName: String }
        type Director implements Creator { name: String studio: String }
        interface Media implements Node @key(fields: "id") { id: ID! title: String creator: Creator }
        type Book implements Media & Node @key(fields: "id") {
          id: ID! title: String creator: Creator pages: Int restricted: Boolean
        }
        type Movie implements Media & Node @key(fields: "id") {
          id: ID! title: String creator: Creator minutes: Int
        }
        type Shelf { label: String items: [Media!]! }
        type Query {
          media: [Media!]!
          mediaItem(id: ID!): Media
          node(id: ID!): Node
          shelves: [Shelf!]!
          book(id: ID!): Book
        }`,
      resolvers: {
        Query: {
          media: () => media,
          mediaItem: (_: unknown, { id }: { id: string }) => byId(id),
          node: (_: unknown, { id }: { id: string }) => byId(id),
          shelves: () => [
            { label: "Fantasy", items: [media[0], media[1], media[2]] },
            { label: "Cult", items: [media[3]] },
            { label: "Empty", items: [] },
          ],
          book: (_: unknown, { id }: { id: string }) => byId(id),
        },
        Media: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
        Book: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
        Movie: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
      },
    },
    {
      name: "reviews",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Book @key(fields: "id") { id: ID! reviewCount: Int }
        type Movie @key(fields: "id") { id: ID! reviewCount: Int rating: Float }`,
      resolvers: {
        Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, ...reviews[ref.id] }) },
        Movie: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, ...reviews[ref.id] }),
        },
      },
    },
  ],
  operations: [
    {
      name: "an object type's fields across both subgraphs (no interface)",
      query: `{ book(id: "b1") { id title pages reviewCount } }`,
      concrete: true,
    },
    {
      name: "a list of an interface: its own fields, no __typename",
      query: "{ media { id title } }",
    },
    {
      name: "a list of an interface: its own fields, with __typename",
      query: "{ media { __typename id title } }",
    },
    {
      name: "implementation fields from the other subgraph",
      query: `{ media { id ... on Book { pages reviewCount } ... on Movie { minutes rating reviewCount } } }`,
    },
    {
      name: "an interface field returning an interface (nested interfaces)",
      query: `{ media { title creator { name ... on Author { penName } ... on Director { studio } } } }`,
    },
    {
      name: "an interface implementing an interface",
      query: `{ node(id: "m1") { id ... on Media { title } ... on Movie { rating } } }`,
    },
    {
      name: "one interface value, by argument",
      query: `query ($id: ID!) { mediaItem(id: $id) { title ... on Book { reviewCount } } }`,
      variables: { id: "b2" },
    },
    {
      name: "lists of interfaces inside a list",
      query: `{ shelves { label items { title ... on Movie { rating } } } }`,
    },
    { name: "an interface value that is null", query: `{ mediaItem(id: "none") { id title } }` },
  ],
};
