import type { FeatureCase } from "./harness.ts";

// @key entity jumps: users -> orders (by id) -> delivery (by a composite key) -> users again (by
// a second key, email, from a non-resolvable stub) -> orders again; aliases everywhere.

const users = [
  { id: "u1", email: "ada@example.org", name: "Ada" },
  { id: "u2", email: "bob@example.org", name: "Bob" },
];
const orders: Record<string, { number: string; region: string; pence: number }[]> = {
  u1: [
    { number: "o1", region: "uk", pence: 1250 },
    { number: "o2", region: "fr", pence: 300 },
  ],
  u2: [{ number: "o1", region: "fr", pence: 999 }],
};
const allOrders = Object.values(orders).flat();
const shipments: Record<string, { carrier: string; to: string }> = {
  "o1/uk": { carrier: "Royal Mail", to: "bob@example.org" },
  "o2/fr": { carrier: "La Poste", to: "ada@example.org" },
  "o1/fr": { carrier: "DPD", to: "ada@example.org" },
};

export const keys: FeatureCase = {
  name: "@key entity jumps with aliases",
  subgraphs: [
    {
      name: "users",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type User @key(fields: "id") @key(fields: "email") {
          id: ID! email: String! name: String flaky: String
        }
        type Query { users: [User!]! }`,
      resolvers: {
        Query: { users: () => users },
        User: {
          __resolveReference: (ref: { id?: string; email?: string }) =>
            users.find((u) => u.id === ref.id || u.email === ref.email),
          flaky: () => {
            throw new Error("flaky is down");
          },
        },
      },
    },
    {
      name: "orders",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type User @key(fields: "id") { id: ID! orders: [Order!]! }
        type Order @key(fields: "number region") {
          number: ID! region: String! total(currency: String = "GBP"): Int
        }`,
      resolvers: {
        User: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
          orders: (u: { id: string }) => orders[u.id] ?? [],
        },
        Order: {
          __resolveReference: (ref: { number: string; region: string }) =>
            allOrders.find((o) => o.number === ref.number && o.region === ref.region),
          total: (o: { pence: number }, { currency }: { currency: string }) =>
            currency === "EUR" ? Math.round(o.pence * 1.2) : o.pence,
        },
      },
    },
    {
      name: "delivery",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Order @key(fields: "number region") { number: ID! region: String! shipment: Shipment }
        type Shipment { carrier: String recipient: User }
        type User @key(fields: "email", resolvable: false) { email: String! }`,
      resolvers: {
        Order: {
          __resolveReference: (ref: { number: string; region: string }) => ref,
          shipment: (o: { number: string; region: string }) => {
            const s = shipments[`${o.number}/${o.region}`];
            return s ? { carrier: s.carrier, recipient: { email: s.to } } : null;
          },
        },
      },
    },
  ],
  operations: [
    { name: "one subgraph", query: "{ users { id name } }", concrete: true },
    {
      name: "aliases on both sides of a jump, one field twice with arguments",
      query: `{ people: users { who: name purchases: orders { ref: number gbp: total eur: total(currency: "EUR") } } }`,
      concrete: true,
    },
    {
      name: "a chain of jumps back to the first subgraph by a second key",
      query: `{ users { name orders { number shipment { carrier recipient { name orders { region } } } } } }`,
      concrete: true,
    },
    {
      name: "the same entity field under two aliases",
      query: "{ users { a: orders { number } b: orders { total } } }",
      concrete: true,
    },
    {
      name: "aliases swapping two field names",
      query: "{ users { id: name name: id } }",
      concrete: true,
    },
    {
      name: "a field whose resolver throws",
      query: "{ users { name flaky } }",
      concrete: true,
      expectErrors: true,
    },
  ],
};
