import type { FeatureCase } from "./harness.ts";

// @requires: shipping computes fields from warehouse's size (plain), weight (@inaccessible:
// clients never see it, but the gateway must still fetch it for shipping) and dims (nested).

const parcels = [
  { id: "p1", size: 2, weight: 1500, dims: { length: 30, width: 20 } },
  { id: "p2", size: 9, weight: 22000, dims: { length: 120, width: 80 } },
];

export const requires: FeatureCase = {
  name: "@requires",
  subgraphs: [
    {
      name: "warehouse",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible", "@shareable"])
        type Dimensions @shareable { length: Int width: Int }
        type Parcel @key(fields: "id") { id: ID! size: Int weight: Int @inaccessible dims: Dimensions }
        type Query { parcels: [Parcel!]! }`,
      resolvers: {
        Query: { parcels: () => parcels },
        Parcel: {
          __resolveReference: (ref: { id: string }) => parcels.find((p) => p.id === ref.id),
        },
      },
    },
    {
      name: "shipping",
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])
        type Dimensions @shareable { length: Int width: Int }
        type Parcel @key(fields: "id") {
          id: ID!
          size: Int @external
          weight: Int @external
          dims: Dimensions @external
          boxType: String @requires(fields: "size")
          shippingCost: Int @requires(fields: "weight")
          area: Int @requires(fields: "dims { length width }")
        }`,
      resolvers: {
        Parcel: {
          boxType: (p: { size: number }) => (p.size > 5 ? "crate" : "box"),
          shippingCost: (p: { weight: number }) => Math.ceil(p.weight / 1000) * 3,
          area: (p: { dims: { length: number; width: number } }) => p.dims.length * p.dims.width,
        },
      },
    },
  ],
  operations: [
    { name: "no @requires", query: "{ parcels { id size dims { length } } }", concrete: true },
    { name: "@requires of a visible field", query: "{ parcels { id boxType } }", concrete: true },
    {
      name: "@requires of an @inaccessible field",
      query: "{ parcels { id shippingCost } }",
      concrete: true,
    },
    {
      name: "@requires of a nested selection",
      query: "{ parcels { area dims { width } } }",
      concrete: true,
    },
    {
      name: "all three at once",
      query: "{ parcels { boxType shippingCost area } }",
      concrete: true,
    },
  ],
};
