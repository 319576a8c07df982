import { generatePopulation, loadFixtures, seedStore } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { loadSections, type PoliceDB } from "./declaration.ts";
import { police } from "./index.ts";

const fixtures = loadFixtures();
const golden = fixtures.records.police ?? {};

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`police store on ${backend}`, () => {
    const store = useSeededStore<PoliceDB>(police, backend);

    it("holds every golden record exactly", async () => {
      const sections = await loadSections(store(), Object.keys(golden));
      for (const [id, record] of Object.entries(golden)) {
        const section = sections.get(id);
        expect(section?.known).toBe(true);
        expect(section?.warningMarkers).toEqual(record.warningMarkers ?? []);
        expect(section?.incidents).toEqual(record.incidents ?? []);
        expect(section?.intelligence).toEqual(record.intelligence ?? []);
      }
    });

    it("does not know subjects it holds nothing on", async () => {
      const sections = await loadSections(store(), ["S-1001", "S-NOBODY"]);
      expect(sections.has("S-1001")).toBe(false);
      expect(sections.has("S-NOBODY")).toBe(false);
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
      await seedStore(police, store(), generatePopulation({ subjects: 300 }));
      const second = await loadSections(store(), ids);
      expect([...second.entries()]).toEqual([...first.entries()]);
      expect(first.size).toBeGreaterThan(Object.keys(golden).length);
    });
  });
}
