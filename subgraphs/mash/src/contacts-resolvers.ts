import {
  type ContactView,
  listContacts,
  type RecordContactInput,
  recordContact,
  type ScreenContactArgs,
  screenContact,
} from "./contacts.ts";
import type { RepeatCountView } from "./contacts-loaders.ts";
import type { Context } from "./context.ts";
import type { ResolverMap } from "./merge-resolvers.ts";
import type { EnquiryView, SubjectView } from "./store.ts";

/** Contacts and their screening, and the contacts about a person or behind an enquiry. */
export const contactResolvers: ResolverMap = {
  Query: {
    contact: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.contact.load(id),
    contacts: (
      _: unknown,
      args: { screened?: boolean | null; first?: number | null },
      ctx: Context,
    ) => listContacts(ctx.store, args),
  },
  Mutation: {
    recordContact: async (_: unknown, { input }: { input: RecordContactInput }, ctx: Context) => {
      const contact = await recordContact(ctx.store, ctx.settings, ctx.caller, input);
      // A later field of the same operation must count this contact, not an earlier read.
      for (const id of input.subjectIds ?? []) {
        ctx.loaders.subjectRecentContacts.clear(id.trim());
        ctx.loaders.subjectContacts.clear(id.trim());
      }
      return contact;
    },
    screenContact: async (_: unknown, args: ScreenContactArgs, ctx: Context) => {
      const contact = await screenContact(ctx.store, ctx.settings, ctx.caller, args);
      ctx.loaders.contact.clear(contact.id).prime(contact.id, contact);
      return contact;
    },
  },
  Contact: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.contact.load(ref.id),
    subjects: (contact: ContactView, _: unknown, ctx: Context) =>
      ctx.loaders.contactSubjects.load(contact.id),
    repeats: (contact: ContactView, _: unknown, ctx: Context) =>
      ctx.loaders.contactRepeats.load(contact.id),
    enquiry: (contact: ContactView, _: unknown, ctx: Context) =>
      contact.enquiryId ? ctx.loaders.enquiry.load(contact.enquiryId) : null,
  },
  RepeatCount: {
    subject: (repeat: RepeatCountView, _: unknown, ctx: Context) =>
      ctx.loaders.subject.load(repeat.subjectId),
  },
  Subject: {
    recentContacts: (subject: SubjectView, _: unknown, ctx: Context) =>
      ctx.loaders.subjectRecentContacts.load(subject.id),
    contacts: (subject: SubjectView, _: unknown, ctx: Context) =>
      ctx.loaders.subjectContacts.load(subject.id),
  },
  Enquiry: {
    contacts: (enquiry: EnquiryView, _: unknown, ctx: Context) =>
      ctx.loaders.enquiryContacts.load(enquiry.id),
  },
};
