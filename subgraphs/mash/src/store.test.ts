import { generatePopulation, loadFixtures, openStore, type Store, seedStore } from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEnquiry, listEnquiries, openEnquiry } from "./enquiries.ts";
import { mash } from "./index.ts";
import { createLoaders } from "./loaders.ts";
import { searchSubjects } from "./search/search.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

const fixtures = loadFixtures();
const settings = loadSettings({});

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
        { reason: " Concern raised by GP ", rag: "AMBER", subjectIds: ["S-1007", "S-1006"] },
        now,
      );
      expect(e).toMatchObject({
        status: "OPEN",
        rag: "AMBER",
        reason: "Concern raised by GP",
        openedAt: "2026-11-26T10:00:00Z",
        dueBy: "2026-11-27T10:00:00Z",
      });
      const subjects = await createLoaders(store).enquirySubjects.load(e.id);
      expect(subjects.map((s) => s.id)).toEqual(["S-1006", "S-1007"]);
      const second = await openEnquiry(
        store,
        settings,
        { reason: "Another", rag: "RED", subjectIds: ["S-1007"] },
        now,
      );
      expect(Number(second.id.slice(4))).toBe(Number(e.id.slice(4)) + 1);
    });

    it("refuses bad openings and changes nothing", async () => {
      const before = await listEnquiries(store, { first: 500 });
      const cases = [
        { reason: "   ", rag: "RED" as const, subjectIds: ["S-1001"] },
        { reason: "ok", rag: "RED" as const, subjectIds: [] },
        { reason: "ok", rag: "RED" as const, subjectIds: ["S-1001", "S-NOPE"] },
        { reason: "ok", rag: "RED" as const, subjectIds: ["S-1001", "S-1001"] },
      ];
      const messages = [];
      for (const input of cases)
        messages.push((await badInput(openEnquiry(store, settings, input))).message);
      expect(messages[2]).toMatch(/Unknown subject id: S-NOPE/);
      expect(await listEnquiries(store, { first: 500 })).toEqual(before);
    });

    it("closes an open enquiry once, and refuses a second close without changing it", async () => {
      const opened = await openEnquiry(store, settings, {
        reason: "To close",
        rag: "GREEN",
        subjectIds: ["S-1004"],
      });
      const closed = await closeEnquiry(store, {
        id: opened.id,
        outcome: "EARLY_HELP",
        reason: "Family accepted early help",
      });
      expect(closed).toMatchObject({
        status: "CLOSED",
        outcome: "EARLY_HELP",
        closeReason: "Family accepted early help",
      });
      const error = await badInput(
        closeEnquiry(store, { id: opened.id, outcome: "NO_FURTHER_ACTION", reason: "again" }),
      );
      expect(error.message).toMatch(/already closed \(EARLY_HELP/);
      expect(await createLoaders(store).enquiry.load(opened.id)).toEqual(closed);
      await badInput(closeEnquiry(store, { id: "ENQ-404404", outcome: "EARLY_HELP", reason: "x" }));
      await badInput(closeEnquiry(store, { id: "ENQ-2001", outcome: "EARLY_HELP", reason: " " }));
      expect((await createLoaders(store).enquiry.load("ENQ-2001"))?.status).toBe("OPEN");
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
