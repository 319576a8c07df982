import type { Store } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { listContacts, type RecordContactInput, recordContact, screenContact } from "./contacts.ts";
import { contactLoaders } from "./contacts-loaders.ts";
import { badInput, contact, hubSnapshot, patel, school, syntheticPeople } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

const settings = loadSettings({});
const T = new Date("2026-11-26T10:00:00Z");

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash contacts on ${backend}`, () => {
    const hub = useSeededStore<MashDB>(mash, backend, 100);
    let store: Store<MashDB>;
    /** Synthetic people no other test here concerns, handed out a few per test. */
    let people: string[] = [];
    const fresh = (n: number) => people.splice(0, n);
    /** Every row recording or screening could write: a refusal must leave them as they were. */
    const everything = () => hubSnapshot(store);

    beforeAll(async () => {
      store = hub();
      people = await syntheticPeople(store);
    });

    it("records a contact by the caller, trimmed, with its people and their received time", async () => {
      const [a, b] = fresh(2) as [string, string];
      const recorded = await recordContact(
        store,
        settings,
        patel,
        contact({
          referrer: { ...school, agency: " Moorside Primary ", name: " Ms Reed ", howToReach: " " },
          receivedAt: "2026-11-26T08:30:00Z",
          concern: "  Child arrived hungry with bruising  ",
          consentReason: " Seeking consent could put the child at risk ",
          subjectIds: [` ${a} `, b],
        }),
        T,
      );
      expect(recorded).toEqual({
        id: expect.stringMatching(/^CON-\d+$/),
        receivedAt: "2026-11-26T08:30:00Z",
        recordedAt: "2026-11-26T10:00:00Z",
        recordedBy: "sw.patel",
        referrer: {
          kind: "AGENCY",
          agency: "Moorside Primary",
          name: "Ms Reed",
          role: "teacher",
          howToReach: null,
        },
        concern: "Child arrived hungry with bruising",
        consentSought: false,
        consentReason: "Seeking consent could put the child at risk",
        screening: null,
        enquiryId: null,
      });
      const loaders = contactLoaders(store);
      expect(await loaders.contact.load(recorded.id)).toEqual(recorded);
      expect((await loaders.contactSubjects.load(recorded.id)).map((s) => s.id)).toEqual(
        [a, b].sort(),
      );
      expect(
        await store.db
          .selectFrom("contact_subjects")
          .where("contact_id", "=", recorded.id)
          .selectAll()
          .orderBy("subject_id")
          .execute(),
      ).toEqual(
        [a, b].sort().map((subject_id) => ({
          contact_id: recorded.id,
          subject_id,
          received_at: "2026-11-26T08:30:00Z",
        })),
      );

      // From the public, about no one identified yet, received now (a client a little ahead of
      // the hub's clock is read as now): the next number.
      const later = new Date("2026-11-26T11:00:00Z");
      const neighbour = await recordContact(
        store,
        settings,
        patel,
        contact({
          referrer: { kind: "PUBLIC", name: "A neighbour", howToReach: "07700 900123" },
          receivedAt: "2026-11-26T11:03:00Z",
          consentSought: true,
          subjectIds: undefined,
        }),
        later,
      );
      expect(Number(neighbour.id.slice(4))).toBe(Number(recorded.id.slice(4)) + 1);
      expect(neighbour).toMatchObject({
        receivedAt: "2026-11-26T11:00:00Z",
        referrer: { kind: "PUBLIC", agency: null, role: null, howToReach: "07700 900123" },
        consentSought: true,
      });
      expect(await contactLoaders(store).contactSubjects.load(neighbour.id)).toEqual([]);
      const defaulted = await recordContact(store, settings, patel, contact({ subjectIds: [] }), T);
      expect(defaulted.receivedAt).toBe("2026-11-26T10:00:00Z");
    });

    it("refuses bad contacts, naming the field, and writes nothing", async () => {
      const before = await everything();
      const referrer = (over: Record<string, unknown>) =>
        contact({ referrer: { ...school, ...over } as RecordContactInput["referrer"] });
      const cases: [string, RecordContactInput, string, RegExp][] = [
        ["no kind", referrer({ kind: "POLICE" }), "input.referrer.kind", /AGENCY or PUBLIC/],
        ["agency unnamed", referrer({ agency: "  " }), "input.referrer.agency", /names the/],
        ["agency missing", referrer({ agency: null }), "input.referrer.agency", /kind AGENCY/],
        [
          "public naming an agency",
          referrer({ kind: "PUBLIC", agency: "Moorside Primary" }),
          "input.referrer.agency",
          /member of the public/,
        ],
        ["no name", referrer({ name: " " }), "input.referrer.name", /is empty/],
        ["long name", referrer({ name: "x".repeat(201) }), "input.referrer.name", /200/],
        ["long role", referrer({ role: "x".repeat(201) }), "input.referrer.role", /200/],
        [
          "long way to reach",
          referrer({ howToReach: "x".repeat(501) }),
          "input.referrer.howToReach",
          /500/,
        ],
        [
          "received in the future",
          contact({ receivedAt: "2026-11-26T10:05:01Z" }),
          "input.receivedAt",
          /in the future/,
        ],
        [
          "received before 1990",
          contact({ receivedAt: "1989-12-31T23:59:59Z" }),
          "input.receivedAt",
          /before 1990-01-01/,
        ],
        ["received: no date", contact({ receivedAt: "soon" }), "input.receivedAt", /a date/],
        ["no concern", contact({ concern: "  " }), "input.concern", /is empty/],
        [
          "short concern",
          contact({ concern: " Hungry again " }),
          "input.concern",
          /12 characters.*at least 15/,
        ],
        ["no consent reason", contact({ consentReason: "" }), "input.consentReason", /is empty/],
        [
          "unknown people",
          contact({ subjectIds: ["S-1001", "S-NOPE", "S-GONE"] }),
          "input.subjectIds",
          /Unknown subject ids: S-NOPE, S-GONE/,
        ],
        [
          "a person twice",
          contact({ subjectIds: ["S-1001", " S-1001"] }),
          "input.subjectIds",
          /S-1001 more than once/,
        ],
        [
          "too many people",
          contact({ subjectIds: people.slice(-51) }),
          "input.subjectIds",
          /51 subjects; at most 50/,
        ],
      ];
      for (const [name, input, field, message] of cases) {
        const error = await badInput(recordContact(store, settings, patel, input, T));
        expect(error.extensions.field, name).toBe(field);
        expect(error.message, name).toMatch(message);
      }
      expect(await everything()).toEqual(before);
      // The edges are accepted: five minutes ahead, the first moment of 1990, fifty people.
      await recordContact(
        store,
        settings,
        patel,
        contact({ receivedAt: "2026-11-26T10:05:00Z" }),
        T,
      );
      await recordContact(
        store,
        settings,
        patel,
        contact({ receivedAt: "1990-01-01T00:00:00Z" }),
        T,
      );
      await recordContact(store, settings, patel, contact({ subjectIds: people.slice(-50) }), T);
    });

    it("screens a contact once, for the caller's agency, with the reason", async () => {
      const [a] = fresh(1) as [string];
      const c = await recordContact(store, settings, patel, contact({ subjectIds: [a] }), T);
      const screened = await screenContact(
        store,
        settings,
        patel,
        {
          id: ` ${c.id} `,
          outcome: "PASS_TO_ALLOCATED_WORKER",
          reason: " Open case with an allocated worker ",
        },
        new Date("2026-11-26T10:30:00Z"),
      );
      const screening = {
        outcome: "PASS_TO_ALLOCATED_WORKER",
        reason: "Open case with an allocated worker",
        agency: "childrens-services",
        screenedBy: "sw.patel",
        screenedAt: "2026-11-26T10:30:00Z",
      };
      expect(screened).toEqual({ ...c, screening });
      expect(await contactLoaders(store).contact.load(c.id)).toEqual(screened);

      const other = await recordContact(store, settings, patel, contact({ subjectIds: [a] }), T);
      const before = await everything();
      // Thunks, run one at a time: each refusal is checked against the state before any of them.
      const screen =
        (id: string, outcome: string, reason: string, caller = patel) =>
        () =>
          screenContact(store, settings, caller, { id, outcome, reason });
      const reason = "Nothing further needed here";
      const cases: [string, () => Promise<unknown>, string | undefined, RegExp][] = [
        [
          "screened already",
          screen(c.id, "NO_FURTHER_ACTION_OR_ADVICE", reason),
          "id",
          /was screened PASS_TO_ALLOCATED_WORKER on 2026-11-26T10:30:00Z by childrens-services: a contact is screened once/,
        ],
        [
          "unknown",
          screen("CON-404404", "PROGRESS_TO_ENQUIRY", reason),
          "id",
          /no contact CON-404404/,
        ],
        ["no such outcome", screen(other.id, "ESCALATE", reason), "outcome", /must be one of/],
        ["no reason", screen(other.id, "PROGRESS_TO_ENQUIRY", "  "), "reason", /is empty/],
        [
          "short reason",
          screen(other.id, "PROGRESS_TO_ENQUIRY", "Open case"),
          "reason",
          /at least 15/,
        ],
        [
          "no agency",
          screen(other.id, "PROGRESS_TO_ENQUIRY", reason, { ...patel, agency: undefined }),
          undefined,
          /no agency/,
        ],
      ];
      for (const [name, call, field, message] of cases) {
        const error = await badInput(call());
        expect(error.extensions.field, name).toBe(field);
        expect(error.message, name).toMatch(message);
      }
      expect(await everything()).toEqual(before);
      const progressed = await screenContact(store, settings, patel, {
        id: other.id,
        outcome: "PROGRESS_TO_ENQUIRY",
        reason: "Repeated concerns need a MASH enquiry",
      });
      expect(progressed.screening?.outcome).toBe("PROGRESS_TO_ENQUIRY");
      expect(progressed.enquiryId).toBeNull();
    });

    it("lists contacts newest first: all, screened, or awaiting screening", async () => {
      const all = await listContacts(store, { first: 500 });
      expect(all.length).toBeGreaterThan(5);
      const times = all.map((c) => c.receivedAt);
      expect([...times].sort().reverse()).toEqual(times);
      const waiting = await listContacts(store, { screened: false, first: 500 });
      const screened = await listContacts(store, { screened: true, first: 500 });
      expect(waiting.every((c) => c.screening === null)).toBe(true);
      expect(screened.length).toBeGreaterThan(0);
      expect(screened.every((c) => c.screening !== null)).toBe(true);
      expect(waiting.length + screened.length).toBe(all.length);
      expect(await listContacts(store, { first: 2 })).toEqual(all.slice(0, 2));
      for (const first of [0, 501, 1.5, -1]) {
        expect((await badInput(listContacts(store, { first }))).extensions.field).toBe("first");
      }
    });
  });
}
