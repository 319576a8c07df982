import { readFileSync } from "node:fs";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import type { Shop } from "../data.ts";
import { accounts } from "./accounts.ts";
import { inventory } from "./inventory.ts";
import { products } from "./products.ts";
import { reviews } from "./reviews.ts";

export interface SubgraphModule {
  /** As `@join__graph(name:)` will spell it, and so the agency's name in the policies. */
  name: string;
  sdl: string;
  resolvers: (shop: Shop) => GraphQLResolverMap<unknown>;
}

const schema = (name: string) =>
  readFileSync(new URL(`./${name}.graphql`, import.meta.url), "utf8");

/** The four subgraphs of the shop, declared once: serving and composition both read this. */
export const roster: SubgraphModule[] = [
  { name: "accounts", sdl: schema("accounts"), resolvers: accounts },
  { name: "inventory", sdl: schema("inventory"), resolvers: inventory },
  { name: "products", sdl: schema("products"), resolvers: products },
  { name: "reviews", sdl: schema("reviews"), resolvers: reviews },
];
