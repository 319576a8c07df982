import { ageOn, generatePopulation, loadFixtures, seedStore } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { type EducationDB, loadSections } from "./declaration.ts";
import { education } from "./index.ts";

const fixtures = loadFixtures();
const golden = fixtures.records.education ?? {};

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`education store on ${backend}`, () => {
    const store = useSeededStore<EducationDB>(education, backend);

    it("holds every golden record exactly", async () => {
      const sections = await loadSections(store(), Object.keys(golden));
      for (const [id, record] of Object.entries(golden)) {
        const section = sections.get(id);
        expect(section?.known).toBe(true);
        expect(section?.school).toEqual(record.school ?? null);
        expect(section?.attendancePercent).toBe(record.attendancePercent ?? null);
        expect(section?.exclusions).toEqual(record.exclusions ?? []);
        expect(section?.send).toEqual(record.send ?? null);
        expect(section?.missingEducation).toBe(record.missingEducation ?? null);
      }
    });

    it("returns attendance as the numbers the fixtures give", async () => {
      const sections = await loadSections(store(), ["S-1001", "S-1007"]);
      expect(sections.get("S-1001")?.attendancePercent).toBe(82.5);
      expect(sections.get("S-1007")?.attendancePercent).toBe(71);
      expect(sections.get("S-1001")?.exclusions).toEqual([]);
      expect(sections.get("S-1001")?.missingEducation).toBeNull();
    });

    it("does not know subjects it holds nothing on", async () => {
      const sections = await loadSections(store(), ["S-1002", "S-NOBODY"]);
      expect(sections.has("S-1002")).toBe(false);
      expect(sections.has("S-NOBODY")).toBe(false);
    });

    it("gives golden subjects only their fixture records", async () => {
      const ids = fixtures.subjects.map((s) => s.id);
      const sections = await loadSections(store(), ids);
      expect([...sections.keys()].sort()).toEqual(Object.keys(golden).sort());
    });

    it("knows nearly every school-age child and no adults", async () => {
      const population = generatePopulation({ subjects: 300 }).persons.filter((p) => !p.golden);
      const sections = await loadSections(
        store(),
        population.map((p) => p.id),
      );
      const ages = population.map((p) => [p.id, ageOn(p.dateOfBirth)] as const);
      const schoolAge = ages.filter(([, age]) => age >= 5 && age <= 15);
      const known = schoolAge.filter(([id]) => sections.has(id));
      expect(known.length / schoolAge.length).toBeGreaterThan(0.9);
      expect(ages.filter(([id, age]) => age >= 18 && sections.has(id))).toEqual([]);
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
      await seedStore(education, store(), generatePopulation({ subjects: 300 }));
      const second = await loadSections(store(), ids);
      expect([...second.entries()]).toEqual([...first.entries()]);
      expect(first.size).toBeGreaterThan(Object.keys(golden).length);
    });
  });
}
