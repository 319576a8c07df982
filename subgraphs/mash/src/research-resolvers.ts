import type { SubgraphContext } from "@mash/kit";
import { type AnswerResearchInput, answerResearch } from "./answers.ts";
import type { Loaders } from "./loaders.ts";
import type { ResolverMap } from "./merge-resolvers.ts";
import { decisionKey, type ResearchLoaders } from "./research-loaders.ts";
import type { MashSettings, Rag } from "./settings.ts";
import type { EnquiryView, MashDB, ResearchRequestView } from "./store.ts";
import { type EnquiryTiming, researchTimeliness } from "./timeliness.ts";
import { dueAt } from "./timescales.ts";

/** The loaders these resolvers use: the hub's, and research's own. */
type ResearchContext = SubgraphContext<
  MashDB,
  Pick<Loaders, "enquiry" | "research" | "sharingDecisions"> & ResearchLoaders,
  MashSettings
>;

/** What ResearchRequest.answer resolves to: the answer's columns, and where its decision is. */
interface AnswerView {
  enquiryId: string;
  finding: string | null;
  nothingKnown: boolean;
  answeredAt: string;
  answeredBy: string;
  decisionSeq: number | null;
}

async function enquiryOf(request: ResearchRequestView, ctx: ResearchContext): Promise<EnquiryView> {
  const enquiry = await ctx.loaders.enquiry.load(request.enquiryId);
  // The foreign key makes this impossible; say so rather than guess a timescale.
  if (!enquiry) throw new Error(`research request for missing enquiry ${request.enquiryId}`);
  return enquiry;
}

/** Kept on the row; for rows written before it was, asked_at plus the enquiry's RAG timescale. */
async function dueByOf(request: ResearchRequestView, ctx: ResearchContext): Promise<string> {
  if (request.dueBy !== null) return request.dueBy;
  const enquiry = await enquiryOf(request, ctx);
  return dueAt(ctx.settings.timescales, request.askedAt, enquiry.rag as Rag);
}

async function timelinessOf(request: ResearchRequestView, ctx: ResearchContext) {
  const [dueBy, enquiry] = await Promise.all([dueByOf(request, ctx), enquiryOf(request, ctx)]);
  const timing: EnquiryTiming = {
    status: enquiry.status,
    dueBy: enquiry.dueBy,
    closedAt: enquiry.closedAt,
  };
  // Read as the field resolves: overdue is a fact about now, not about when the row was loaded.
  return researchTimeliness({ ...request, dueBy }, timing, new Date());
}

export const researchResolvers: ResolverMap = {
  Mutation: {
    answerResearch: async (
      _: unknown,
      { input }: { input: AnswerResearchInput },
      ctx: ResearchContext,
    ) => {
      const answered = await answerResearch(ctx.store, ctx.settings, ctx.caller, input);
      // A later mutation or field of the same operation must see this answer, not an earlier read.
      ctx.loaders.research.clear(answered.enquiryId);
      ctx.loaders.sharingDecisions.clear(answered.enquiryId);
      return answered;
    },
  },
  ResearchRequest: {
    dueBy: (request: ResearchRequestView, _: unknown, ctx: ResearchContext) =>
      dueByOf(request, ctx),
    overdue: async (request: ResearchRequestView, _: unknown, ctx: ResearchContext) =>
      (await timelinessOf(request, ctx)).overdue,
    breachedAt: async (request: ResearchRequestView, _: unknown, ctx: ResearchContext) =>
      (await timelinessOf(request, ctx)).breachedAt,
    answer: (request: ResearchRequestView): AnswerView | null =>
      request.answeredAt === null
        ? null
        : {
            enquiryId: request.enquiryId,
            finding: request.finding,
            nothingKnown: request.nothingKnown,
            answeredAt: request.answeredAt,
            answeredBy: request.answeredBy ?? "",
            decisionSeq: request.decisionSeq,
          },
  },
  ResearchAnswer: {
    sharingDecision: async (answer: AnswerView, _: unknown, ctx: ResearchContext) => {
      const decision =
        answer.decisionSeq === null
          ? null
          : await ctx.loaders.answerDecision.load(
              decisionKey(answer.enquiryId, answer.decisionSeq),
            );
      // Every answer is written with its decision; an answer without one is a broken row.
      if (!decision) throw new Error(`answer in ${answer.enquiryId} has no sharing decision`);
      return decision;
    },
  },
};
