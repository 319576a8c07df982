import type { SubgraphContext } from "@mash/kit";
import { DateScalar, DateTimeScalar } from "@mash/kit";
import type { Loaders } from "./loaders.ts";
import type { ChildrensServicesDB } from "./store.ts";

type Context = SubgraphContext<ChildrensServicesDB, Loaders>;

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Subject: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    socialCare: (subject: { id: string }, _args: unknown, ctx: Context) =>
      ctx.loaders.section.load(subject.id),
  },
};
