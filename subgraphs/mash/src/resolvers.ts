import { badUserInput, DateScalar, DateTimeScalar } from "@mash/kit";
import { contactResolvers } from "./contacts-resolvers.ts";
import type { Context } from "./context.ts";
import { listEnquiries, type OpenEnquiryInput, openEnquiry } from "./enquiries.ts";
import { mergeResolvers } from "./merge-resolvers.ts";
import { performanceResolvers } from "./performance-resolvers.ts";
import { processResolvers } from "./process-resolvers.ts";
import {
  type ReleaseResearchArgs,
  type RequestResearchArgs,
  releaseResearch,
  requestResearch,
} from "./research.ts";
import { researchResolvers } from "./research-resolvers.ts";
import { accessOf } from "./search/access.ts";
import type { SearchCriteria } from "./search/score.ts";
import { searchSubjects } from "./search/search.ts";
import {
  currentDecisions,
  type RecordSharingDecisionArgs,
  recordSharingDecision,
} from "./sharing.ts";
import type { EnquiryView, SubjectView } from "./store.ts";

export type { Context } from "./context.ts";

const MAX_IDS = 100;

const hubResolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    subject: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.subject.load(id),
    subjects: (_: unknown, { ids }: { ids: string[] }, ctx: Context) => {
      if (ids.length > MAX_IDS)
        throw badUserInput(`ids has ${ids.length} entries; at most ${MAX_IDS}.`, "ids");
      return ctx.loaders.subject.loadMany(ids);
    },
    searchSubjects: (_: unknown, args: SearchCriteria & { first?: number | null }, ctx: Context) =>
      searchSubjects(ctx.store, args, accessOf(ctx.caller)),
    enquiry: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.enquiry.load(id),
    enquiries: (
      _: unknown,
      args: { status?: string | null; takingPart?: boolean | null; first?: number | null },
      ctx: Context,
    ) => listEnquiries(ctx.store, args, ctx.caller.agency),
  },
  Mutation: {
    openEnquiry: async (_: unknown, { input }: { input: OpenEnquiryInput }, ctx: Context) => {
      const opened = await openEnquiry(ctx.store, ctx.settings, ctx.caller, input);
      // Opening screens and takes its contacts: a later field in the operation must read them anew.
      for (const id of input.contactIds ?? []) ctx.loaders.contact.clear(id.trim());
      return opened;
    },
    recordSharingDecision: (_: unknown, args: RecordSharingDecisionArgs, ctx: Context) =>
      recordSharingDecision(ctx.store, ctx.caller, args),
    requestResearch: async (_: unknown, args: RequestResearchArgs, ctx: Context) =>
      afterResearchChange(await requestResearch(ctx.store, ctx.settings, ctx.caller, args), ctx),
    releaseResearch: async (_: unknown, args: ReleaseResearchArgs, ctx: Context) =>
      afterResearchChange(await releaseResearch(ctx.store, ctx.settings, ctx.caller, args), ctx),
  },
  Subject: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.subject.load(ref.id),
    household: (subject: SubjectView, _: unknown, ctx: Context) =>
      ctx.loaders.household.load(subject.id),
    enquiries: (subject: SubjectView, _: unknown, ctx: Context) =>
      ctx.loaders.subjectEnquiries.load(subject.id),
  },
  Enquiry: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.enquiry.load(ref.id),
    subjects: (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      ctx.loaders.enquirySubjects.load(enquiry.id),
    sharingDecisions: async (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      currentDecisions(await ctx.loaders.sharingDecisions.load(enquiry.id)),
    sharingDecisionHistory: (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      ctx.loaders.sharingDecisions.load(enquiry.id),
    research: (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      ctx.loaders.research.load(enquiry.id),
  },
};

/**
 * An operation may change an enquiry's research more than once (mutations run in order, each
 * selecting `research`); the request's loader must not answer a later one from an earlier read.
 */
function afterResearchChange(enquiry: EnquiryView, ctx: Context): EnquiryView {
  ctx.loaders.research.clear(enquiry.id);
  return enquiry;
}

/** Each concern's resolvers, type by type: one map the subgraph is built with. */
export const resolvers = mergeResolvers([
  hubResolvers,
  contactResolvers,
  processResolvers,
  researchResolvers,
  performanceResolvers,
]);
