import { badUserInput, DateScalar, DateTimeScalar, type SubgraphContext } from "@mash/kit";
import { closeEnquiry, listEnquiries, type OpenEnquiryInput, openEnquiry } from "./enquiries.ts";
import type { Loaders } from "./loaders.ts";
import {
  type ReleaseResearchArgs,
  type RequestResearchArgs,
  releaseResearch,
  requestResearch,
} from "./research.ts";
import type { SearchCriteria } from "./search/score.ts";
import { searchSubjects } from "./search/search.ts";
import type { MashSettings } from "./settings.ts";
import {
  currentDecisions,
  type RecordSharingDecisionArgs,
  recordSharingDecision,
} from "./sharing.ts";
import type { EnquiryView, MashDB, SubjectView } from "./store.ts";

type Context = SubgraphContext<MashDB, Loaders, MashSettings>;

const MAX_IDS = 100;

export const resolvers = {
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
      searchSubjects(ctx.store, args),
    enquiry: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.enquiry.load(id),
    enquiries: (
      _: unknown,
      args: { status?: string | null; first?: number | null },
      ctx: Context,
    ) => listEnquiries(ctx.store, args),
  },
  Mutation: {
    openEnquiry: (_: unknown, { input }: { input: OpenEnquiryInput }, ctx: Context) =>
      openEnquiry(ctx.store, ctx.settings, ctx.caller, input),
    closeEnquiry: (
      _: unknown,
      args: { id: string; outcome: string; reason: string },
      ctx: Context,
    ) => closeEnquiry(ctx.store, args),
    recordSharingDecision: (_: unknown, args: RecordSharingDecisionArgs, ctx: Context) =>
      recordSharingDecision(ctx.store, ctx.caller, args),
    requestResearch: async (_: unknown, args: RequestResearchArgs, ctx: Context) =>
      afterResearchChange(await requestResearch(ctx.store, ctx.caller, args), ctx),
    releaseResearch: async (_: unknown, args: ReleaseResearchArgs, ctx: Context) =>
      afterResearchChange(await releaseResearch(ctx.store, ctx.caller, args), ctx),
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
