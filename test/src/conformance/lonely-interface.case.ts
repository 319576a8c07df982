import type { FeatureCase } from "./harness.ts";

// An entity interface no object type implements: registry declares Node, and notes adds a field
// to it through @interfaceObject and serves Node values by their key alone. The gateway passes
// such a value on with no concrete type; the filter must judge it as the interface itself.
// (Each subgraph also holds an entity of the other kind, as composition needs one per subgraph.)

export const lonelyInterface: FeatureCase = {
  name: "an interface no object type implements",
  subgraphs: [
    {
      name: "registry",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
        interface Node @key(fields: "id") { id: ID! }
        type Item @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
        type Query { item: Item! }`,
      resolvers: {
        Query: { item: () => ({ __typename: "Item", id: "i1" }) },
        Node: {
          __resolveReference: () => {
            throw new Error("Node is not resolvable here");
          },
        },
      },
    },
    {
      name: "notes",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
        type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID! note: String }
        interface Item @key(fields: "id") { id: ID! }
        type Widget implements Item @key(fields: "id") { id: ID! label: String }
        type Query { noted: Node notes: [Node!]! }`,
      resolvers: {
        Query: {
          noted: () => ({ __typename: "Node", id: "n1" }),
          notes: () => [
            { __typename: "Node", id: "n1" },
            { __typename: "Node", id: "n2" },
          ],
        },
        Node: { note: (n: { id: string }) => `about ${n.id}` },
        Item: { __resolveReference: (ref: { id: string }) => ({ ...ref, __typename: "Widget" }) },
        Widget: { label: (w: { id: string }) => `widget ${w.id}` },
      },
    },
  ],
  operations: [
    { name: "its own root field, the key and the added field", query: "{ noted { id note } }" },
    { name: "the key alone", query: "{ noted { id } }" },
    { name: "a list of them", query: "{ notes { id note } }" },
    {
      name: "behind a named fragment on the interface",
      query: "{ noted { ...N } } fragment N on Node { id note }",
    },
    { name: "an interface object resolved to an implementation", query: "{ item { id } }" },
  ],
};
