import { generatePopulation, loadFixtures, seedStore } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { loadSections, type ProbationDB } from "./declaration.ts";
import { probation } from "./index.ts";

const fixtures = loadFixtures();
const golden = fixtures.records.probation ?? {};

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`probation store on ${backend}`, () => {
    const store = useSeededStore<ProbationDB>(probation, backend);

    it("holds every golden record exactly", async () => {
      const sections = await loadSections(store(), Object.keys(golden));
      for (const [id, record] of Object.entries(golden)) {
        const section = sections.get(id);
        expect(section?.known).toBe(true);
        expect(section?.onLicence).toBe(record.onLicence ?? null);
        expect(section?.mappaLevel).toBe(record.mappaLevel ?? null);
        expect(section?.riskOfSeriousHarm).toBe(record.riskOfSeriousHarm ?? null);
        expect(section?.offences).toEqual(record.offences ?? []);
      }
    });

    it("does not know subjects it holds nothing on", async () => {
      const sections = await loadSections(store(), ["S-1002", "S-NOBODY"]);
      expect(sections.has("S-1002")).toBe(false);
      expect(sections.has("S-NOBODY")).toBe(false);
    });

    it("gives golden subjects only their fixture records", async () => {
      const sections = await loadSections(
        store(),
        fixtures.subjects.map((s) => s.id),
      );
      expect([...sections.keys()].sort()).toEqual(Object.keys(golden).sort());
    });

    it("keeps MAPPA levels between 1 and 3 and offences dated", async () => {
      const ids = generatePopulation({ subjects: 300 }).persons.map((p) => p.id);
      for (const section of (await loadSections(store(), ids)).values()) {
        if (section.mappaLevel !== null) expect([1, 2, 3]).toContain(section.mappaLevel);
        expect(section.offences.length).toBeGreaterThan(0);
        for (const o of section.offences) expect(o.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
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
      await seedStore(probation, store(), generatePopulation({ subjects: 300 }));
      const second = await loadSections(store(), ids);
      expect([...second.entries()]).toEqual([...first.entries()]);
      expect(first.size).toBeGreaterThan(Object.keys(golden).length);
    });
  });
}
