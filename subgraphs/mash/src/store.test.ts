import {
  ageOn,
  type CallerContext,
  generatePopulation,
  loadFixtures,
  openStore,
  type Store,
  seedStore,
} from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEnquiries, openEnquiry } from "./enquiries.ts";
import { mash } from "./index.ts";
import { createLoaders } from "./loaders.ts";
import { searchSubjects } from "./search/search.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";
import { dueAt } from "./timescales.ts";

const fixtures = loadFixtures();
const settings = loadSettings({});
const patel: CallerContext = {
  sub: "sw.patel",
  roles: ["social_worker"],
  agency: "childrens-services",
  rid: "r1",
};

async function badInput(promise: Promise<unknown>): Promise<GraphQLError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
  return error as GraphQLError;
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash store on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;

    beforeAll(async () => {
      store = await openStore<MashDB>({
        agency: "mash",
        config: temp.configFor("mash"),
        migrations: mash.migrations,
      });
      await seedStore(mash, store, generatePopulation({ subjects: 500 }));
    });
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    it("holds every golden subject exactly, with its household", async () => {
      const loaders = createLoaders(store);
      for (const s of fixtures.subjects) {
        const subject = await loaders.subject.load(s.id);
        expect(subject).toMatchObject({
          id: s.id,
          name: s.name,
          dateOfBirth: s.dateOfBirth,
          nhsNumber: s.nhsNumber,
          address: s.address,
          sealed: s.sealed,
        });
        const household = await loaders.household.load(s.id);
        expect(household.map((m) => m.id).sort()).toEqual([...(s.household ?? [])].sort());
      }
    });

    it("leaves a sealed member out of everyone else's household, as if they did not live there", async () => {
      const loaders = () => createLoaders(store);
      const family = await store.db
        .selectFrom("subjects")
        .where("id", "=", "S-1001")
        .select("household_id")
        .executeTakeFirstOrThrow();
      const before = (await loaders().household.load("S-1002")).map((m) => m.id);
      // The sealed child (S-1005) moves in with the Doe family: their households do not change.
      await store.db
        .updateTable("subjects")
        .set({ household_id: family.household_id })
        .where("id", "=", "S-1005")
        .execute();
      try {
        expect((await loaders().household.load("S-1002")).map((m) => m.id)).toEqual(before);
        expect(before).not.toContain("S-1005");
        expect((await loaders().household.load("S-1005")).map((m) => m.id).sort()).toEqual([
          "S-1001",
          "S-1002",
          "S-1003",
        ]);
      } finally {
        await store.db
          .updateTable("subjects")
          .set({ household_id: null })
          .where("id", "=", "S-1005")
          .execute();
      }
    });

    it("holds every golden enquiry with its lead and one request per agency asked", async () => {
      const loaders = createLoaders(store);
      for (const e of fixtures.enquiries) {
        expect(e.lead, `${e.id} has a lead in fixtures.yaml`).toBeTruthy();
        expect((await loaders.enquiry.load(e.id))?.lead).toBe(e.lead);
        const research = await loaders.research.load(e.id);
        expect(research.map((r) => r.agency)).toEqual([...(e.asked ?? [])].sort());
        for (const r of research) {
          expect(r).toMatchObject({
            enquiryId: e.id,
            askedAt: e.openedAt,
            askedBy: "seed",
            releasedAt: null,
            releaseReason: null,
          });
        }
      }
    });

    it("gives every synthetic enquiry a lead: children's social care with a child, else adult social care", async () => {
      const population = generatePopulation({ subjects: 500 });
      const synthetic = population.enquiries.filter(
        (e) => !fixtures.enquiries.some((f) => f.id === e.id),
      );
      expect(synthetic.length).toBeGreaterThan(0);
      const loaders = createLoaders(store);
      for (const e of synthetic) {
        const lead = (await loaders.enquiry.load(e.id))?.lead;
        const child = e.subjects.some((id) => {
          const born = population.persons.find((p) => p.id === id)?.dateOfBirth ?? "";
          return ageOn(born) < 18;
        });
        expect(lead, e.id).toBe(child ? "childrens-services" : "adult-social-care");
      }
    });

    it("keeps enquiries written before leads were kept, with no lead and no research", async () => {
      const old = tempStores(backend);
      try {
        const earlier = Object.fromEntries(
          Object.entries(mash.migrations).filter(([name]) => name < "0003"),
        );
        // biome-ignore lint/suspicious/noExplicitAny: the store as it was before migration 0003.
        const before = await openStore<any>({
          agency: "mash",
          config: old.configFor("mash"),
          migrations: earlier,
        });
        await before.db
          .insertInto("enquiries")
          .values({
            id: "ENQ-1",
            number: 1,
            status: "OPEN",
            rag: "RED",
            opened_at: "2026-01-01T09:00:00Z",
            due_by: "2026-01-01T13:00:00Z",
            reason: "Opened before leads were kept",
          })
          .execute();
        await before.close();
        const after = await openStore<MashDB>({
          agency: "mash",
          config: old.configFor("mash"),
          migrations: mash.migrations,
        });
        try {
          const loaders = createLoaders(after);
          expect(await loaders.enquiry.load("ENQ-1")).toMatchObject({ id: "ENQ-1", lead: null });
          expect(await loaders.research.load("ENQ-1")).toEqual([]);
        } finally {
          await after.close();
        }
      } finally {
        await old.cleanup();
      }
    });

    it("loads 50 subjects, households and enquiries with one statement each", async () => {
      const ids = generatePopulation({ subjects: 500 })
        .persons.slice(0, 50)
        .map((p) => p.id);
      const loaders = createLoaders(store);
      const before = store.stats.statements;
      await Promise.all(ids.map((id) => loaders.subject.load(id)));
      await Promise.all(ids.map((id) => loaders.household.load(id)));
      await Promise.all(ids.map((id) => loaders.subjectEnquiries.load(id)));
      expect(store.stats.statements - before).toBe(3);
    });

    it('finds S-1001 before S-1004 for "Amelia Doe" born 2017-03-14', async () => {
      const hits = await searchSubjects(store, { name: "Amelia Doe", dateOfBirth: "2017-03-14" });
      const ids = hits.map((h) => h.subject.id);
      expect(ids[0]).toBe("S-1001");
      expect(hits[0]?.score).toBe(1);
      expect(ids.indexOf("S-1004")).toBeGreaterThan(0);
      for (const h of hits) {
        expect(h.score).toBeGreaterThanOrEqual(0);
        expect(h.score).toBeLessThanOrEqual(1);
      }
    });

    it("tolerates swapped, misspelt and partial names", async () => {
      for (const name of ["Doe Amelia", "Amellia Doe", "Amelia Dow", "Ame Doe"]) {
        const hits = await searchSubjects(store, { name, dateOfBirth: "2017-03-14" });
        expect(hits[0]?.subject.id, name).toBe("S-1001");
      }
      const noah = await searchSubjects(store, { name: "noah prise" });
      expect(noah.map((h) => h.subject.id)).toContain("S-1005");
    });

    it("ranks an exact NHS number first, even against a better name", async () => {
      const hits = await searchSubjects(store, { name: "Amelia Doe", nhsNumber: "999 000 1049" });
      expect(hits[0]?.subject.id).toBe("S-1004");
      expect(hits[0]?.matches).toContainEqual({ field: "NHS_NUMBER", quality: "EXACT" });
    });

    it("searches by postcode alone", async () => {
      const hits = await searchSubjects(store, { postcode: "pr1 4xy" });
      expect(
        hits
          .map((h) => h.subject.id)
          .slice(0, 3)
          .sort(),
      ).toEqual(["S-1001", "S-1002", "S-1003"]);
    });

    it("refuses searches it cannot run, saying why", async () => {
      expect((await badInput(searchSubjects(store, {}))).message).toMatch(/at least one of name/);
      expect(
        (await badInput(searchSubjects(store, { nhsNumber: "1234567890" }))).extensions.field,
      ).toBe("nhsNumber");
      expect(
        (await badInput(searchSubjects(store, { name: "Amelia", first: 0 }))).extensions.field,
      ).toBe("first");
      expect((await badInput(searchSubjects(store, { name: "!!!" }))).message).toMatch(
        /no letters/,
      );
    });

    it("opens an enquiry with dueBy from the RAG timescales", async () => {
      const now = new Date("2026-11-26T10:00:00Z");
      const e = await openEnquiry(
        store,
        settings,
        patel,
        { reason: " Concern raised by GP ", rag: "AMBER", subjectIds: ["S-1007", "S-1006"] },
        now,
      );
      expect(e).toMatchObject({
        status: "OPEN",
        rag: "AMBER",
        reason: "Concern raised by GP",
        openedAt: "2026-11-26T10:00:00Z",
        dueBy: dueAt(settings.timescales, now, "AMBER"),
        lead: "childrens-services",
        openedBy: "sw.patel",
        openedWithoutContact: true,
      });
      const subjects = await createLoaders(store).enquirySubjects.load(e.id);
      expect(subjects.map((s) => s.id)).toEqual(["S-1006", "S-1007"]);
      // The RAG history starts with the rating it opened with, for the reason it opened.
      expect(
        await store.db
          .selectFrom("rag_changes")
          .where("enquiry_id", "=", e.id)
          .selectAll()
          .execute(),
      ).toEqual([
        {
          enquiry_id: e.id,
          seq: 1,
          rag: "AMBER",
          previous: null,
          reason: "Concern raised by GP",
          changed_by: "sw.patel",
          changed_at: "2026-11-26T10:00:00Z",
        },
      ]);
      const second = await openEnquiry(
        store,
        settings,
        patel,
        { reason: "Another concern from the GP", rag: "RED", subjectIds: ["S-1007"] },
        now,
      );
      expect(Number(second.id.slice(4))).toBe(Number(e.id.slice(4)) + 1);
    });

    it("records the opener's agency as lead and asks the agencies in `ask`", async () => {
      const now = new Date("2026-11-26T12:00:00Z");
      const asw: CallerContext = { ...patel, sub: "asw.brown", agency: "adult-social-care" };
      const e = await openEnquiry(
        store,
        settings,
        asw,
        {
          reason: "Self-neglect reported by a neighbour",
          rag: "GREEN",
          subjectIds: ["S-1006"],
          ask: [" police", "health"],
        },
        now,
      );
      expect(e.lead).toBe("adult-social-care");
      const loaders = createLoaders(store);
      expect((await loaders.enquiry.load(e.id))?.lead).toBe("adult-social-care");
      expect(await loaders.research.load(e.id)).toEqual(
        ["health", "police"].map((agency) => ({
          enquiryId: e.id,
          agency,
          askedAt: "2026-11-26T12:00:00Z",
          askedBy: "asw.brown",
          releasedAt: null,
          releasedBy: null,
          releaseReason: null,
          // Asked at opening: due when the enquiry's decision is.
          dueBy: e.dueBy,
          answeredAt: null,
          answeredBy: null,
          finding: null,
          nothingKnown: false,
          decisionSeq: null,
        })),
      );
      // `ask` is optional: without it (or empty) the enquiry asks no one yet.
      for (const ask of [undefined, null, []]) {
        const plain = await openEnquiry(store, settings, patel, {
          reason: "No one asked yet",
          rag: "AMBER",
          subjectIds: ["S-1001"],
          ask,
        });
        expect(await createLoaders(store).research.load(plain.id)).toEqual([]);
      }
    });

    it("refuses bad openings, naming the argument, and changes nothing", async () => {
      const before = await listEnquiries(store, { first: 500 });
      const research = () =>
        store.db
          .selectFrom("research_requests")
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("agency");
      const researchBefore = await research().execute();
      const ok = {
        reason: "Disclosure made at school",
        rag: "RED" as const,
        subjectIds: ["S-1001"],
      };
      const cases: [Parameters<typeof openEnquiry>[3], string | undefined, RegExp][] = [
        [{ ...ok, reason: "   " }, "input.reason", /is empty/],
        // Shorter than the hub's minimum (15 by default), trimmed first.
        [{ ...ok, reason: "  Concern, see  " }, "input.reason", /has 12 characters.*at least 15/],
        [{ ...ok, subjectIds: [] }, "input.subjectIds", /is empty/],
        [{ ...ok, subjectIds: null }, "input.subjectIds", /is empty/],
        [
          { ...ok, subjectIds: Array.from({ length: 51 }, (_, i) => `S-${i}`) },
          "input.subjectIds",
          /51 subjects; at most 50/,
        ],
        [
          { ...ok, subjectIds: ["S-1001", "S-NOPE"] },
          "input.subjectIds",
          /Unknown subject id: S-NOPE/,
        ],
        [{ ...ok, subjectIds: ["S-1001", "S-1001"] }, "input.subjectIds", /more than once/],
        [{ ...ok, ask: ["police", "childrens-services"] }, "input.ask", /the lead agency/],
        [
          { ...ok, ask: ["police", "health", "police "] },
          "input.ask",
          /names police more than once/,
        ],
        [{ ...ok, ask: ["Police"] }, "input.ask", /not an agency name/],
        [{ ...ok, ask: [""] }, "input.ask", /not an agency name/],
        [{ ...ok, ask: ["police; drop table"] }, "input.ask", /not an agency name/],
        // A bad `ask` beside good subjects must not leave the enquiry half written.
        [
          { ...ok, subjectIds: ["S-1002"], ask: ["health", "1health"] },
          "input.ask",
          /not an agency/,
        ],
      ];
      for (const [input, field, message] of cases) {
        const error = await badInput(openEnquiry(store, settings, patel, input));
        expect(error.extensions.field, JSON.stringify(input)).toBe(field);
        expect(error.message, JSON.stringify(input)).toMatch(message);
      }
      const noAgency = await badInput(
        openEnquiry(store, settings, { sub: "someone", roles: [], rid: "r3" }, ok),
      );
      expect(noAgency.message).toMatch(/no agency: an enquiry is led by the agency/);
      expect(await listEnquiries(store, { first: 500 })).toEqual(before);
      expect(await research().execute()).toEqual(researchBefore);
    });

    it("lists enquiries by status, newest first", async () => {
      const open = await listEnquiries(store, { status: "OPEN", first: 500 });
      expect(open.every((e) => e.status === "OPEN")).toBe(true);
      expect(open.map((e) => e.id)).toEqual(
        expect.arrayContaining(["ENQ-2001", "ENQ-2002", "ENQ-2003"]),
      );
      const times = open.map((e) => e.openedAt);
      expect([...times].sort().reverse()).toEqual(times);
    });
  });
}
