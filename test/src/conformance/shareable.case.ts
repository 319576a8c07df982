import type { FeatureCase } from "./harness.ts";

// @shareable: a value type (Money), entity fields (name, price) and a root field (products)
// that two subgraphs both resolve; the planner may take them from either.

const catalogue = [
  { id: "p1", name: "Kettle", price: { amount: 25, currency: "GBP" }, stock: 4 },
  { id: "p2", name: "Toaster", price: { amount: 40, currency: "GBP" }, stock: 0 },
];
const find = (id: string) => catalogue.find((p) => p.id === id);
const discounts: Record<string, { amount: number; currency: string }> = {
  p1: { amount: 5, currency: "GBP" },
  p2: { amount: 10, currency: "EUR" },
};

export const shareable: FeatureCase = {
  name: "@shareable",
  subgraphs: [
    {
      name: "inventory",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Money @shareable { amount: Int currency: String }
        type Product @key(fields: "id") {
          id: ID!
          name: String @shareable
          price: Money @shareable
          stock: Int
        }
        type Query { products: [Product!]! @shareable product(id: ID!): Product }`,
      resolvers: {
        Query: {
          products: () => catalogue,
          product: (_: unknown, { id }: { id: string }) => find(id),
        },
        Product: { __resolveReference: (ref: { id: string }) => find(ref.id) },
      },
    },
    {
      name: "pricing",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Money @shareable { amount: Int currency: String }
        type Product @key(fields: "id") {
          id: ID!
          name: String @shareable
          price: Money @shareable
          discount: Money
        }
        type Query { products: [Product!]! @shareable deals: [Product!]! }`,
      resolvers: {
        Query: {
          products: () => catalogue.map((p) => ({ ...p, discount: discounts[p.id] })),
          deals: () => [{ ...find("p2"), discount: discounts.p2 }],
        },
        Product: {
          __resolveReference: (ref: { id: string }) => ({
            ...find(ref.id),
            discount: discounts[ref.id],
          }),
        },
      },
    },
  ],
  operations: [
    {
      name: "shareable fields and a value type from a shared root field",
      query: "{ products { id name price { amount currency } stock } }",
      concrete: true,
    },
    {
      name: "a root field of one subgraph, shareable fields and a jump to the other",
      query: "{ deals { name price { amount } discount { amount currency } stock } }",
      concrete: true,
    },
    {
      name: "the value type from both subgraphs in one object",
      query: `{ product(id: "p1") { price { currency } discount { currency amount } } }`,
      concrete: true,
    },
  ],
};
