import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import type { Shop } from "../data.ts";

/** The catalogue: names, prices and weights. */
export const products = (shop: Shop): GraphQLResolverMap<unknown> => ({
  Query: {
    topProducts: (_: unknown, { first }: { first: number }) => shop.products.slice(0, first),
  },
  Product: {
    __resolveReference: (ref: { upc: string }) => shop.productsByUpc.get(ref.upc),
  },
});
