import type { Context } from "./context.ts";
import type { ResolverMap } from "./merge-resolvers.ts";
import { mashPerformance } from "./performance.ts";

export const performanceResolvers: ResolverMap = {
  Query: {
    mashPerformance: (_: unknown, args: { from: string; to: string }, ctx: Context) =>
      mashPerformance(ctx.store, args),
  },
};
