import type { Store } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { recordContact } from "./contacts.ts";
import { contactLoaders } from "./contacts-loaders.ts";
import { contact, patel, syntheticPeople } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

const settings = loadSettings({});
const T = new Date("2026-11-26T10:00:00Z");

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash repeat contacts on ${backend}`, () => {
    const hub = useSeededStore<MashDB>(mash, backend, 100);
    let store: Store<MashDB>;
    let people: string[] = [];
    const fresh = (n: number) => people.splice(0, n);
    beforeAll(async () => {
      store = hub();
      people = await syntheticPeople(store);
    });

    it("counts each person's contacts in the 12 months up to each contact, and up to now", async () => {
      const [a, b, none] = fresh(3) as [string, string, string];
      const at = (receivedAt: string, subjectIds: string[]) =>
        recordContact(store, settings, patel, contact({ receivedAt, subjectIds }), T);
      const thirteenMonths = await at("2025-10-26T10:00:00Z", [a]);
      const aYear = await at("2025-11-26T10:00:00Z", [a]);
      const elevenMonths = await at("2025-12-26T10:00:00Z", [a]);
      const today = await at("2026-11-26T10:00:00Z", [b, a]);

      const loaders = contactLoaders(store, () => T);
      const before = store.stats.statements;
      const repeats = await Promise.all(
        [thirteenMonths, aYear, elevenMonths, today].map((c) => loaders.contactRepeats.load(c.id)),
      );
      const recent = await Promise.all(
        [a, b, none].map((s) => loaders.subjectRecentContacts.load(s)),
      );
      expect(store.stats.statements - before).toBe(2);
      expect(repeats).toEqual([
        [{ subjectId: a, contactsInLast12Months: 1 }],
        // Thirteen months before a year ago is a month before this one: counted.
        [{ subjectId: a, contactsInLast12Months: 2 }],
        // Contacts received later are not counted, whatever their number.
        [{ subjectId: a, contactsInLast12Months: 3 }],
        // Eleven months earlier counts; exactly a year earlier and thirteen months do not.
        [a, b]
          .sort()
          .map((subjectId) => ({ subjectId, contactsInLast12Months: subjectId === a ? 2 : 1 })),
      ]);
      expect(recent).toEqual([2, 1, 0]);
      // A second past the year, the contact exactly a year earlier is out of the window too.
      expect(
        await contactLoaders(store, () => new Date(T.getTime() + 1000)).subjectRecentContacts.load(
          a,
        ),
      ).toBe(2);
      expect(
        await contactLoaders(
          store,
          () => new Date("2025-12-26T10:00:00Z"),
        ).subjectRecentContacts.load(a),
      ).toBe(3);

      expect((await loaders.subjectContacts.load(a)).map((c) => c.id)).toEqual(
        [today, elevenMonths, aYear, thirteenMonths].map((c) => c.id),
      );
      expect(await loaders.subjectContacts.load(none)).toEqual([]);
    });

    it("loads contacts, their people and repeats, and people's and enquiries' contacts, one statement each", async () => {
      const [a, b] = fresh(2) as [string, string];
      const ids: string[] = [];
      for (const [hour, subjectIds] of [[a], [a, b], [b], []].entries()) {
        const receivedAt = `2026-11-26T0${hour}:00:00Z`;
        const c = await recordContact(
          store,
          settings,
          patel,
          contact({ receivedAt, subjectIds }),
          T,
        );
        ids.push(c.id);
      }
      const loaders = contactLoaders(store);
      const before = store.stats.statements;
      const contacts = await Promise.all(
        [...ids, "CON-404404"].map((id) => loaders.contact.load(id)),
      );
      const subjects = await Promise.all(ids.map((id) => loaders.contactSubjects.load(id)));
      const repeats = await Promise.all(ids.map((id) => loaders.contactRepeats.load(id)));
      const about = await Promise.all(
        [a, b, "S-NOPE"].map((id) => loaders.subjectContacts.load(id)),
      );
      const recent = await Promise.all(
        [a, b, "S-NOPE"].map((id) => loaders.subjectRecentContacts.load(id)),
      );
      const enquiries = await Promise.all(
        ["ENQ-2001", "ENQ-404"].map((id) => loaders.enquiryContacts.load(id)),
      );
      expect(store.stats.statements - before).toBe(6);
      expect(contacts.map((c) => c?.id ?? null)).toEqual([...ids, null]);
      expect(subjects.map((list) => list.length)).toEqual([1, 2, 1, 0]);
      expect(repeats.map((list) => list.map((r) => r.contactsInLast12Months))).toEqual([
        [1],
        // In subject id order: a (its second contact), then b (its first).
        [2, 1],
        [2],
        [],
      ]);
      expect(about.map((list) => list.map((c) => c.id))).toEqual([
        [ids[1], ids[0]],
        [ids[2], ids[1]],
        [],
      ]);
      expect(recent).toEqual([2, 2, 0]);
      expect(enquiries).toEqual([[], []]);
    });
  });
}
