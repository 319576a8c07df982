import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import type { Shop } from "../data.ts";

interface Priced {
  upc: string;
  price?: number | null;
  weight?: number | null;
}

/** Stock, and a shipping estimate from the price and weight the gateway brings (@requires). */
export const inventory = (shop: Shop): GraphQLResolverMap<unknown> => ({
  Product: {
    __resolveReference: (ref: Priced) => ref,
    inStock: (ref: Priced) => shop.productsByUpc.get(ref.upc)?.inStock ?? null,
    shippingEstimate: (ref: Priced) => {
      if (ref.price == null || ref.weight == null) return null;
      // Free over 1,000; otherwise by weight.
      return ref.price > 1000 ? 0 : Math.round(ref.weight / 2);
    },
  },
});
