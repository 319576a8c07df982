import type { GraphQLResolverMap } from "@mash/kit";

/** A resolver map: type name to field resolvers (or a scalar). */
// biome-ignore lint/suspicious/noExplicitAny: each concern's resolvers take their own parent types; the context is checked where they are written.
export type ResolverMap = GraphQLResolverMap<any>;

/**
 * Merges the resolver maps of each concern, type by type. Two concerns resolving the same field
 * is a mistake that would silently let one win, so it throws at start-up instead.
 */
export function mergeResolvers(maps: readonly ResolverMap[]): ResolverMap {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      if (!merged[type]) {
        merged[type] = fields as unknown as Record<string, unknown>;
        continue;
      }
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in merged[type]) throw new Error(`${type}.${field} is resolved twice`);
        merged[type] = { ...merged[type], [field]: resolver };
      }
    }
  }
  return merged as unknown as ResolverMap;
}
