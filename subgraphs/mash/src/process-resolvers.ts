import type { Context } from "./context.ts";
import {
  type CloseEnquiryArgs,
  closeEnquiry,
  type RecordReferrerFeedbackArgs,
  recordReferrerFeedback,
} from "./decision.ts";
import { type RecordDisagreementArgs, recordDisagreement } from "./disagreements.ts";
import type { ResolverMap } from "./merge-resolvers.ts";
import { type ChangeRagArgs, changeRag } from "./rag.ts";
import type { EnquiryView } from "./store.ts";
import { decisionTimeliness } from "./timeliness.ts";

/**
 * Whether the caller's agency takes part in the enquiry: it leads it, or has a research request
 * in it that was not released. Open or closed alike: the gateway decides what a closed one
 * shows. The gateway shows an enquiry's details only where this is true, so a caller with no
 * agency never takes part.
 */
export async function takesPart(enquiry: EnquiryView, ctx: Context): Promise<boolean> {
  const agency = ctx.caller.agency?.trim();
  if (!agency) return false;
  if (enquiry.lead === agency) return true;
  const research = await ctx.loaders.research.load(enquiry.id);
  return research.some((r) => r.agency === agency && r.releasedAt === null);
}

/**
 * A mutation changes what this request's loaders may already hold for the enquiry (an operation
 * may run several, each selecting its fields): forget it, so later fields read it afresh.
 */
function forget(ctx: Context, enquiryId: string, ...loaders: (keyof Context["loaders"])[]): void {
  for (const name of loaders) ctx.loaders[name].clear(enquiryId);
}

export const processResolvers: ResolverMap = {
  Mutation: {
    changeRag: async (_: unknown, args: ChangeRagArgs, ctx: Context) => {
      const enquiry = await changeRag(ctx.store, ctx.settings, ctx.caller, args);
      forget(ctx, enquiry.id, "enquiry", "ragHistory", "research", "timeline");
      return enquiry;
    },
    closeEnquiry: async (_: unknown, args: CloseEnquiryArgs, ctx: Context) => {
      const enquiry = await closeEnquiry(ctx.store, ctx.settings, ctx.caller, args);
      forget(ctx, enquiry.id, "enquiry", "timeline");
      return enquiry;
    },
    recordReferrerFeedback: async (_: unknown, args: RecordReferrerFeedbackArgs, ctx: Context) => {
      const enquiry = await recordReferrerFeedback(ctx.store, ctx.caller, args);
      forget(ctx, enquiry.id, "enquiry", "timeline");
      return enquiry;
    },
    recordDisagreement: async (_: unknown, args: RecordDisagreementArgs, ctx: Context) => {
      const disagreement = await recordDisagreement(ctx.store, ctx.settings, ctx.caller, args);
      forget(ctx, disagreement.enquiryId, "disagreements", "timeline");
      return disagreement;
    },
  },
  Enquiry: {
    ragHistory: (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      ctx.loaders.ragHistory.load(enquiry.id),
    disagreements: (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      ctx.loaders.disagreements.load(enquiry.id),
    escalated: async (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      (await ctx.loaders.disagreements.load(enquiry.id)).length > 0,
    overdue: (enquiry: EnquiryView) => decisionTimeliness(enquiry, new Date()).overdue,
    breachedAt: (enquiry: EnquiryView) => decisionTimeliness(enquiry, new Date()).breachedAt,
    timeline: (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      ctx.loaders.timeline.load(enquiry.id),
    takesPart: (enquiry: EnquiryView, _: unknown, ctx: Context) => takesPart(enquiry, ctx),
    // decidedBy and feedback are the view's own fields (store.ts's toEnquiry maps them).
  },
};
