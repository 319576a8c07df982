import type { SubgraphContext } from "@mash/kit";
import { DateTimeScalar } from "@mash/kit";
import type { Loaders } from "./loaders.ts";
import type { PoliceDB } from "./store.ts";

type Context = SubgraphContext<PoliceDB, Loaders>;

export const resolvers = {
  DateTime: DateTimeScalar,
  Subject: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    police: (subject: { id: string }, _args: unknown, ctx: Context) =>
      ctx.loaders.section.load(subject.id),
  },
};
