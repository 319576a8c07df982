import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import type { Shop } from "../data.ts";

/** Who the users are: the only subgraph with root fields for them. */
export const accounts = (shop: Shop): GraphQLResolverMap<unknown> => ({
  Query: {
    me: () => shop.users[0],
    user: (_: unknown, { id }: { id: string }) => shop.usersById.get(id),
    users: () => shop.users,
  },
  User: {
    __resolveReference: (ref: { id: string }) => shop.usersById.get(ref.id),
  },
});
