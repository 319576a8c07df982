import type { FeatureCase } from "./harness.ts";

// Unions whose members live in other subgraphs (Book in books, Event in events), a union inside
// a union member (Author.highlights), and a union declared by a subgraph other than the hub
// (Mention, in books) with a member from a third subgraph.

const book = (id: string) => ({ __typename: "Book", id });
const event = (id: string) => ({ __typename: "Event", id });
const tolkien = {
  __typename: "Author",
  name: "J. R. R. Tolkien",
  bio: "Philologist",
  highlights: [book("b1"), event("e1")],
};
const books: Record<string, { title: string; year: number; mentionedIn: unknown[] }> = {
  b1: {
    title: "The Fellowship of the Ring",
    year: 1954,
    mentionedIn: [event("e1"), { __typename: "Review", stars: 5 }],
  },
  b2: { title: "The Return of the King", year: 1955, mentionedIn: [] },
};
const events: Record<string, { name: string; venue: string | null }> = {
  e1: { name: "Ring reading", venue: "Oxford" },
  e2: { name: "Ring quiz", venue: null },
};

export const unions: FeatureCase = {
  name: "unions",
  subgraphs: [
    {
      name: "search",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        union Result = Book | Author | Event
        union Highlight = Book | Event
        type Book @key(fields: "id") { id: ID! }
        type Event @key(fields: "id") { id: ID! }
        type Author { name: String bio: String highlights: [Highlight!]! }
        type Query { search(term: String!): [Result!]! top: Result author(name: String!): Author }`,
      resolvers: {
        Query: {
          search: () => [book("b1"), tolkien, event("e1"), book("b2"), event("e2")],
          top: () => event("e1"),
          author: () => tolkien,
        },
        Book: { __resolveReference: (ref: { id: string }) => book(ref.id) },
        Event: { __resolveReference: (ref: { id: string }) => event(ref.id) },
      },
    },
    {
      name: "books",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Book @key(fields: "id") { id: ID! title: String year: Int mentionedIn: [Mention!]! }
        type Event @key(fields: "id", resolvable: false) { id: ID! }
        type Review { stars: Int }
        union Mention = Event | Review`,
      resolvers: {
        Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, ...books[ref.id] }) },
      },
    },
    {
      name: "events",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Event @key(fields: "id") { id: ID! name: String venue: String }`,
      resolvers: {
        Event: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, ...events[ref.id] }),
        },
      },
    },
  ],
  operations: [
    {
      name: "an object type, no union",
      query: `{ author(name: "Tolkien") { name bio } }`,
      concrete: true,
    },
    {
      name: "members from three subgraphs, no __typename",
      query: `{ search(term: "ring") { ... on Book { title year } ... on Author { name } ... on Event { name venue } } }`,
    },
    {
      name: "members from three subgraphs, with __typename",
      query: `{ search(term: "ring") { __typename ... on Book { title } ... on Author { name } ... on Event { venue } } }`,
    },
    { name: "only __typename", query: `{ search(term: "ring") { __typename } }` },
    {
      name: "a fragment on one member only (the others answer {})",
      query: `{ search(term: "ring") { ... on Event { name } } }`,
    },
    { name: "a single union value", query: "{ top { ... on Event { name venue } } }" },
    {
      name: "a union inside a union member",
      query: `{ search(term: "ring") { ... on Author { name highlights { ... on Book { title } ... on Event { name } } } } }`,
    },
    {
      name: "a union declared by another subgraph, nested under a member",
      query: `{ search(term: "ring") { ... on Book { title mentionedIn { ... on Event { name } ... on Review { stars } } } } }`,
    },
  ],
};
