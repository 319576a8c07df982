import type { Store } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import type { GraphQLError } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { type RecordContactInput, recordContact, screenContact } from "./contacts.ts";
import { openEnquiry } from "./enquiries.ts";
import { badInput, okafor, patel, syntheticPeople } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { createLoaders } from "./loaders.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

const settings = loadSettings({});
const reason = "Repeated concerns from school and GP";

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash enquiries opened from contacts on ${backend}`, () => {
    const hub = useSeededStore<MashDB>(mash, backend, 100);
    let store: Store<MashDB>;
    let people: string[] = [];
    const fresh = (n: number) => people.splice(0, n);
    const record = (subjectIds: string[], receivedAt?: string) =>
      recordContact(store, settings, patel, {
        referrer: { kind: "PUBLIC", name: "A neighbour" },
        receivedAt,
        concern: "Shouting heard late at night again",
        consentSought: false,
        consentReason: "Referrer asked not to be named",
        subjectIds,
      } satisfies RecordContactInput);
    const row = (id: string) =>
      store.db.selectFrom("contacts").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
    /** Every row an opening could write: a refused one must leave them all as they were. */
    const everything = async () => {
      return {
        contacts: await store.db.selectFrom("contacts").selectAll().orderBy("id").execute(),
        enquiries: await store.db.selectFrom("enquiries").selectAll().orderBy("id").execute(),
        links: await store.db
          .selectFrom("enquiry_subjects")
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("subject_id")
          .execute(),
        rag: await store.db
          .selectFrom("rag_changes")
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("seq")
          .execute(),
        research: await store.db
          .selectFrom("research_requests")
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("agency")
          .execute(),
      };
    };

    beforeAll(async () => {
      store = hub();
      people = await syntheticPeople(store);
    });

    it("opens from contacts: screens the unscreened, links everyone, and takes the contacts", async () => {
      const [a, b, c] = fresh(3) as [string, string, string];
      // Recorded first, received last: the enquiry lists its contacts by when they came in.
      const unscreened = await record([a], "2026-11-26T08:00:00Z");
      const progressed = await record([b, a], "2026-11-25T08:00:00Z");
      await screenContact(
        store,
        settings,
        okafor,
        { id: progressed.id, outcome: "PROGRESS_TO_ENQUIRY", reason: "Second contact this week" },
        new Date("2026-11-26T09:00:00Z"),
      );
      const before = await row(progressed.id);
      const openedAt = new Date("2026-11-26T10:00:00Z");
      const e = await openEnquiry(
        store,
        settings,
        patel,
        { reason, rag: "AMBER", subjectIds: [c, b], contactIds: [unscreened.id, progressed.id] },
        openedAt,
      );
      expect(e.openedWithoutContact).toBe(false);
      const loaders = createLoaders(store);
      expect((await loaders.enquirySubjects.load(e.id)).map((s) => s.id)).toEqual([a, b, c].sort());
      const contacts = await loaders.enquiryContacts.load(e.id);
      expect(contacts.map((x) => x.id)).toEqual([progressed.id, unscreened.id]);
      // Opening from it screened it: by the opener, for the lead, with the enquiry's reason.
      expect(contacts[1]).toEqual({
        ...unscreened,
        screening: {
          outcome: "PROGRESS_TO_ENQUIRY",
          reason,
          agency: "childrens-services",
          screenedBy: "sw.patel",
          screenedAt: "2026-11-26T10:00:00Z",
        },
        enquiryId: e.id,
      });
      // Screened before: its screening stays as the front door recorded it.
      expect(await row(progressed.id)).toEqual({ ...before, enquiry_id: e.id });
      const enquiry = await store.db
        .selectFrom("enquiries")
        .where("id", "=", e.id)
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(enquiry).toMatchObject({ without_contact: 0, opened_by: "sw.patel", reason });
      expect((await loaders.contact.load(unscreened.id))?.enquiryId).toBe(e.id);

      // From a contact alone: its people are the enquiry's.
      const [d, f] = fresh(2) as [string, string];
      const alone = await record([d, f]);
      const fromOne = await openEnquiry(store, settings, patel, {
        reason,
        rag: "RED",
        contactIds: [alone.id],
      });
      expect(
        (await createLoaders(store).enquirySubjects.load(fromOne.id)).map((s) => s.id),
      ).toEqual([d, f].sort());
      // A contact about no one identified yet, with the people named at opening.
      const [g] = fresh(1) as [string];
      const anonymous = await record([]);
      const named = await openEnquiry(store, settings, patel, {
        reason,
        rag: "GREEN",
        subjectIds: [g],
        contactIds: [anonymous.id],
      });
      const namedLoaders = createLoaders(store);
      expect((await namedLoaders.enquirySubjects.load(named.id)).map((s) => s.id)).toEqual([g]);
      expect((await namedLoaders.enquiryContacts.load(named.id)).map((x) => x.id)).toEqual([
        anonymous.id,
      ]);
    });

    it("opens directly, with no contact, and says so", async () => {
      const [a] = fresh(1) as [string];
      for (const contactIds of [undefined, null, []]) {
        const e = await openEnquiry(store, settings, patel, {
          reason,
          rag: "RED",
          subjectIds: [a],
          contactIds,
        });
        expect(e.openedWithoutContact).toBe(true);
        expect(await createLoaders(store).enquiryContacts.load(e.id)).toEqual([]);
        const written = await store.db
          .selectFrom("enquiries")
          .where("id", "=", e.id)
          .select("without_contact")
          .executeTakeFirstOrThrow();
        expect(written.without_contact).toBe(1);
      }
    });

    it("refuses contacts it cannot open from, naming the field, and changes nothing", async () => {
      const [a, b] = fresh(2) as [string, string];
      const ok = await record([a]);
      const nfa = await record([a]);
      await screenContact(
        store,
        settings,
        patel,
        {
          id: nfa.id,
          outcome: "NO_FURTHER_ACTION_OR_ADVICE",
          reason: "Advice given to the referrer",
        },
        new Date("2026-11-26T09:30:00Z"),
      );
      const passed = await record([a]);
      await screenContact(store, settings, patel, {
        id: passed.id,
        outcome: "PASS_TO_ALLOCATED_WORKER",
        reason: "Open case with an allocated worker",
      });
      const taken = await record([b]);
      const first = await openEnquiry(store, settings, patel, {
        reason,
        rag: "RED",
        contactIds: [taken.id],
      });
      const nobody = await record([]);

      const before = await everything();
      const open = (contactIds: string[], subjectIds?: string[]) => () =>
        openEnquiry(store, settings, patel, { reason, rag: "AMBER", contactIds, subjectIds });
      const cases: [string, () => Promise<unknown>, string, RegExp][] = [
        [
          "unknown",
          open([ok.id, "CON-404404", "CON-404405"]),
          "input.contactIds",
          /Unknown contact ids: CON-404404, CON-404405/,
        ],
        [
          "no further action",
          open([ok.id, nfa.id]),
          "input.contactIds",
          new RegExp(
            `${nfa.id} was screened NO_FURTHER_ACTION_OR_ADVICE on 2026-11-26T09:30:00Z by childrens-services`,
          ),
        ],
        [
          "passed to the allocated worker",
          open([passed.id]),
          "input.contactIds",
          /was screened PASS_TO_ALLOCATED_WORKER on/,
        ],
        [
          "in another enquiry",
          open([ok.id, taken.id]),
          "input.contactIds",
          new RegExp(`${taken.id} is already in ${first.id}`),
        ],
        ["twice", open([ok.id, ` ${ok.id}`]), "input.contactIds", /more than once/],
        [
          "too many",
          open(Array.from({ length: 51 }, (_, i) => `CON-${i}`)),
          "input.contactIds",
          /51 contacts; at most 50/,
        ],
        [
          "about no one",
          open([nobody.id]),
          "input.subjectIds",
          new RegExp(`${nobody.id} concerns no one yet`),
        ],
        [
          "an unknown person beside a good contact",
          open([ok.id], ["S-NOPE"]),
          "input.subjectIds",
          /Unknown subject id: S-NOPE/,
        ],
      ];
      for (const [name, call, field, message] of cases) {
        const error = await badInput(call());
        expect(error.extensions.field, name).toBe(field);
        expect(error.message, name).toMatch(message);
      }
      // A bad `ask` beside a good contact must not leave the contact taken.
      await badInput(
        openEnquiry(store, settings, patel, {
          reason,
          rag: "RED",
          contactIds: [ok.id],
          ask: ["X"],
        }),
      );
      expect(await everything()).toEqual(before);
    });

    it("lets exactly one of two concurrent openings take a contact", async () => {
      for (let round = 0; round < 5; round++) {
        const [a] = fresh(1) as [string];
        const c = await record([a]);
        const enquiriesBefore = (await everything()).enquiries.length;
        const results = await Promise.allSettled(
          [patel, okafor].map((caller) =>
            openEnquiry(store, settings, caller, { reason, rag: "RED", contactIds: [c.id] }),
          ),
        );
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        expect(won, `round ${round}`).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const winner = (won[0] as PromiseFulfilledResult<{ id: string }>).value;
        const error = (lost[0] as PromiseRejectedResult).reason as GraphQLError;
        expect(error.extensions).toMatchObject({
          code: "BAD_USER_INPUT",
          field: "input.contactIds",
        });
        expect(error.message).toMatch(`${c.id} is already in ${winner.id}`);
        expect((await row(c.id)).enquiry_id).toBe(winner.id);
        expect((await everything()).enquiries.length).toBe(enquiriesBefore + 1);
      }
    });

    it("lets exactly one of a screening and an opening decide a contact", async () => {
      for (let round = 0; round < 5; round++) {
        const [a] = fresh(1) as [string];
        const c = await record([a]);
        const [screened, opened] = await Promise.allSettled([
          screenContact(store, settings, okafor, {
            id: c.id,
            outcome: "NO_FURTHER_ACTION_OR_ADVICE",
            reason: "Advice given to the referrer",
          }),
          openEnquiry(store, settings, patel, { reason, rag: "RED", contactIds: [c.id] }),
        ]);
        expect([screened?.status, opened?.status].sort(), `round ${round}`).toEqual([
          "fulfilled",
          "rejected",
        ]);
        const after = await row(c.id);
        if (opened?.status === "fulfilled") {
          expect(after).toMatchObject({
            enquiry_id: opened.value.id,
            screening_outcome: "PROGRESS_TO_ENQUIRY",
          });
        } else {
          expect(after).toMatchObject({
            enquiry_id: null,
            screening_outcome: "NO_FURTHER_ACTION_OR_ADVICE",
          });
        }
      }
    });
  });
}
