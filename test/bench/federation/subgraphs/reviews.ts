import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import type { Review, Shop } from "../data.ts";

/** Reviews, each user's and each product's; it provides its authors' usernames itself. */
export const reviews = (shop: Shop): GraphQLResolverMap<unknown> => ({
  Review: {
    __resolveReference: (ref: { id: string }) => shop.reviews.find((r) => r.id === ref.id),
    product: (review: Review) => ({ upc: review.upc }),
    author: (review: Review) => {
      const user = shop.usersById.get(review.authorId);
      return user && { id: user.id, username: user.username };
    },
  },
  User: {
    reviews: (user: { id: string }) => shop.reviewsByAuthor.get(user.id) ?? [],
  },
  Product: {
    reviews: (product: { upc: string }) => shop.reviewsByProduct.get(product.upc) ?? [],
  },
});
