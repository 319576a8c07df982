import type { SubgraphContext } from "@mash/kit";
import { DateScalar, DateTimeScalar } from "@mash/kit";
import type { Loaders } from "./loaders.ts";
import type { HealthDB } from "./store.ts";

type Context = SubgraphContext<HealthDB, Loaders>;

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Subject: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    health: (subject: { id: string }, _args: unknown, ctx: Context) =>
      ctx.loaders.section.load(subject.id),
  },
};
