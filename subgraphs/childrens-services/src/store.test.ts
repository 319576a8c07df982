import { generatePopulation, loadFixtures, seedStore } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { type ChildrensServicesDB, loadSections, unknownSection } from "./declaration.ts";
import { childrensServices } from "./index.ts";

const fixtures = loadFixtures();
const golden = fixtures.records["childrens-services"] ?? {};

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`childrens-services store on ${backend}`, () => {
    const store = useSeededStore<ChildrensServicesDB>(childrensServices, backend);
    const reseed = (subjects: number) =>
      seedStore(childrensServices, store(), generatePopulation({ subjects }));

    it("holds every golden record exactly", async () => {
      const sections = await loadSections(store(), Object.keys(golden));
      expect(sections.size).toBe(Object.keys(golden).length);
      for (const [id, record] of Object.entries(golden)) {
        expect(sections.get(id)).toEqual({
          known: true,
          openCase: record.openCase ?? null,
          allocatedWorker: record.allocatedWorker ?? null,
          childProtectionPlan: record.childProtectionPlan ?? null,
          lookedAfter: record.lookedAfter ?? null,
          childInNeed: record.childInNeed ?? null,
          previousReferrals: record.previousReferrals ?? null,
          caseNotes: record.caseNotes ?? [],
        });
      }
    });

    it("keeps what a fixture leaves out as null or empty", async () => {
      const sections = await loadSections(store(), ["S-1007", "S-1005"]);
      expect(sections.get("S-1007")).toEqual({
        ...unknownSection(),
        known: true,
        openCase: false,
        lookedAfter: false,
      });
      expect(sections.get("S-1005")?.allocatedWorker).toEqual({
        name: "Tom Reid",
        team: "Adoption Support",
        phone: "01772 000111",
      });
    });

    it("does not know subjects it holds nothing on", async () => {
      const sections = await loadSections(store(), ["S-1002", "S-1006", "S-NOBODY"]);
      expect(sections.size).toBe(0);
    });

    it("gives golden persons nothing beyond their fixture", async () => {
      const ids = fixtures.subjects.map((s) => s.id);
      const sections = await loadSections(store(), ids);
      expect([...sections.keys()].sort()).toEqual(Object.keys(golden).sort());
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
      await reseed(300);
      const second = await loadSections(store(), ids);
      expect([...second.entries()]).toEqual([...first.entries()]);
      expect(first.size).toBeGreaterThan(Object.keys(golden).length);
    });

    it("seeds a realistic mix of synthetic cases", async () => {
      await reseed(2000);
      const synthetic = generatePopulation({ subjects: 2000 }).persons.filter((p) => !p.golden);
      const sections = [
        ...(
          await loadSections(
            store(),
            synthetic.map((p) => p.id),
          )
        ).values(),
      ];
      const count = (test: (s: (typeof sections)[number]) => boolean) =>
        sections.filter(test).length;
      // Known to children's services is a minority, and open cases, plans and care rarer still.
      expect(sections.length).toBeGreaterThan(50);
      expect(sections.length).toBeLessThan(synthetic.length / 3);
      expect(count((s) => s.openCase === true && s.allocatedWorker !== null)).toBeGreaterThan(5);
      expect(count((s) => s.childProtectionPlan !== null)).toBeGreaterThan(2);
      expect(count((s) => s.lookedAfter === true)).toBeGreaterThan(0);
      expect(count((s) => s.caseNotes.length > 0)).toBeGreaterThan(10);
      for (const s of sections) {
        if (s.childProtectionPlan) expect(s.lookedAfter).toBe(false);
        for (const n of s.caseNotes) expect(Number(n.id.slice(3))).toBeGreaterThan(10_000);
      }
    });
  });
}
