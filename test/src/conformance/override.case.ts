import type { FeatureCase } from "./harness.ts";

// @override: modern takes Account.plan from legacy, and Query.featured from accounts. Each
// subgraph answers differently, so which one served a field shows in the data.

const accounts = [
  { id: "a1", name: "Ada" },
  { id: "a2", name: "Brian" },
];

export const override: FeatureCase = {
  name: "@override",
  subgraphs: [
    {
      name: "accounts",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Account @key(fields: "id") { id: ID! name: String }
        type Query { accounts: [Account!]! featured: Account }`,
      resolvers: {
        Query: { accounts: () => accounts, featured: () => accounts[0] },
        Account: {
          __resolveReference: (ref: { id: string }) => accounts.find((a) => a.id === ref.id),
        },
      },
    },
    {
      name: "legacy",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Account @key(fields: "id") { id: ID! plan: String status: String }`,
      resolvers: {
        Account: {
          __resolveReference: (ref: { id: string }) => ({
            id: ref.id,
            plan: `legacy-plan-${ref.id}`,
            status: "active",
          }),
        },
      },
    },
    {
      name: "modern",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@override"])
        type Account @key(fields: "id") {
          id: ID!
          plan: String @override(from: "legacy")
          tier: Int
        }
        type Query { featured: Account @override(from: "accounts") }`,
      resolvers: {
        Query: { featured: () => ({ id: "a2" }) },
        Account: {
          __resolveReference: (ref: { id: string }) => ({
            id: ref.id,
            plan: `modern-plan-${ref.id}`,
            tier: ref.id === "a1" ? 1 : 2,
          }),
          plan: (a: { id: string }) => `modern-plan-${a.id}`,
          tier: (a: { id: string }) => (a.id === "a1" ? 1 : 2),
        },
      },
    },
  ],
  operations: [
    { name: "an overridden field", query: "{ accounts { id name plan } }", concrete: true },
    {
      name: "overridden and kept fields of three subgraphs",
      query: "{ accounts { plan status tier } }",
      concrete: true,
    },
    {
      name: "an overridden root field",
      query: "{ featured { id name plan } }",
      concrete: true,
    },
  ],
};
