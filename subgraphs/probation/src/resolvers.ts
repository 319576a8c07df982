import type { SubgraphContext } from "@mash/kit";
import { DateScalar } from "@mash/kit";
import type { Loaders } from "./loaders.ts";
import type { ProbationDB } from "./store.ts";

type Context = SubgraphContext<ProbationDB, Loaders>;

export const resolvers = {
  Date: DateScalar,
  Subject: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    probation: (subject: { id: string }, _args: unknown, ctx: Context) =>
      ctx.loaders.section.load(subject.id),
  },
};
