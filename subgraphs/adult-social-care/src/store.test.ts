import { ageOn, generatePopulation, loadFixtures, seedStore } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { type AdultSocialCareDB, loadSections } from "./declaration.ts";
import { adultSocialCare } from "./index.ts";

const fixtures = loadFixtures();
const golden = fixtures.records["adult-social-care"] ?? {};

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`adult social care store on ${backend}`, () => {
    const store = useSeededStore<AdultSocialCareDB>(adultSocialCare, backend);

    it("holds every golden record exactly", async () => {
      const sections = await loadSections(store(), Object.keys(golden));
      for (const [id, record] of Object.entries(golden)) {
        const section = sections.get(id);
        expect(section?.known).toBe(true);
        expect(section?.safeguardingEnquiries).toEqual(record.safeguardingEnquiries ?? []);
        expect(section?.careNeeds).toBe(record.careNeeds ?? null);
      }
    });

    it("does not know subjects it holds nothing on", async () => {
      const sections = await loadSections(store(), ["S-1001", "S-NOBODY"]);
      expect(sections.has("S-1001")).toBe(false);
      expect(sections.has("S-NOBODY")).toBe(false);
    });

    it("gives golden subjects only their fixture records", async () => {
      const sections = await loadSections(
        store(),
        fixtures.subjects.map((s) => s.id),
      );
      expect([...sections.keys()].sort()).toEqual(Object.keys(golden).sort());
    });

    it("knows adults only, and each for a reason", async () => {
      const persons = generatePopulation({ subjects: 300 }).persons.filter((p) => !p.golden);
      const sections = await loadSections(
        store(),
        persons.map((p) => p.id),
      );
      for (const p of persons) {
        const section = sections.get(p.id);
        if (!section) continue;
        expect(ageOn(p.dateOfBirth)).toBeGreaterThanOrEqual(18);
        expect(section.careNeeds !== null || section.safeguardingEnquiries.length > 0).toBe(true);
        for (const e of section.safeguardingEnquiries) {
          expect(e.openedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        }
      }
    });

    it("reads sections for 50 subjects in one statement", async () => {
      const ids = generatePopulation({ subjects: 300 })
        .persons.slice(0, 50)
        .map((p) => p.id);
      const before = store().stats.statements;
      const sections = await loadSections(store(), ids);
      expect(store().stats.statements - before).toBe(1);
      expect(sections.size).toBeGreaterThan(0);
    });

    it("seeds the same synthetic records every time", async () => {
      const ids = generatePopulation({ subjects: 300 }).persons.map((p) => p.id);
      const first = await loadSections(store(), ids);
      await seedStore(adultSocialCare, store(), generatePopulation({ subjects: 300 }));
      const second = await loadSections(store(), ids);
      expect([...second.entries()]).toEqual([...first.entries()]);
      expect(first.size).toBeGreaterThan(Object.keys(golden).length);
    });
  });
}
