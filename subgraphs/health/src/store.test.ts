import { ageOn, generatePopulation, loadFixtures, seedStore } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { type HealthDB, loadSections, type UnscheduledCareAttendance } from "./declaration.ts";
import { health } from "./index.ts";

const fixtures = loadFixtures();
const golden = fixtures.records.health ?? {};

// Only the contract's fields: a YAML flow mapping splits a reason at its comma into a stray key.
const attendance = (u: UnscheduledCareAttendance) => ({
  id: u.id,
  attendedAt: u.attendedAt,
  setting: u.setting,
  reason: u.reason,
});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`health store on ${backend}`, () => {
    const store = useSeededStore<HealthDB>(health, backend);
    const reseed = (subjects: number) =>
      seedStore(health, store(), generatePopulation({ subjects }));

    it("holds every golden record exactly", async () => {
      const sections = await loadSections(store(), Object.keys(golden));
      expect(sections.size).toBe(Object.keys(golden).length);
      for (const [id, record] of Object.entries(golden)) {
        const care = (record.unscheduledCare ?? []) as UnscheduledCareAttendance[];
        expect(sections.get(id)).toEqual({
          known: true,
          gpPractice: record.gpPractice ?? null,
          unscheduledCare: care.map(attendance),
          mentalHealth: record.mentalHealth ?? null,
          healthVisitorContacts: record.healthVisitorContacts ?? [],
          maternity: record.maternity ?? null,
        });
      }
    });

    it("keeps what a fixture leaves out as null or empty", async () => {
      const sections = await loadSections(store(), ["S-1007", "S-1002"]);
      expect(sections.get("S-1007")).toEqual({
        known: true,
        gpPractice: { name: "Brook Street Practice", phone: "01772 000444" },
        unscheduledCare: [],
        mentalHealth: { openToServices: false, service: null },
        healthVisitorContacts: [],
        maternity: null,
      });
      expect(sections.get("S-1002")?.mentalHealth).toEqual({
        openToServices: true,
        service: "Community Mental Health Team",
      });
    });

    it("does not know subjects it holds nothing on", async () => {
      const sections = await loadSections(store(), ["S-1003", "S-1005", "S-NOBODY"]);
      expect(sections.size).toBe(0);
    });

    it("gives golden persons nothing beyond their fixture", async () => {
      const sections = await loadSections(
        store(),
        fixtures.subjects.map((s) => s.id),
      );
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

    it("seeds a realistic mix of synthetic records", async () => {
      await reseed(2000);
      const synthetic = generatePopulation({ subjects: 2000 }).persons.filter((p) => !p.golden);
      const sections = await loadSections(
        store(),
        synthetic.map((p) => p.id),
      );
      const all = [...sections.values()];
      const count = (test: (s: (typeof all)[number]) => boolean) => all.filter(test).length;
      // Nearly everyone is registered with a GP; the rest of the record is the exception.
      expect(count((s) => s.gpPractice !== null)).toBeGreaterThan(synthetic.length * 0.8);
      expect(count((s) => s.unscheduledCare.length > 0)).toBeGreaterThan(50);
      expect(count((s) => s.mentalHealth?.openToServices === true)).toBeGreaterThan(10);
      expect(count((s) => s.maternity !== null)).toBeGreaterThan(5);
      for (const person of synthetic) {
        const section = sections.get(person.id);
        if (section?.maternity) expect(person.sex).toBe("F");
        if (section?.healthVisitorContacts.length)
          expect(ageOn(person.dateOfBirth)).toBeLessThan(5);
        for (const u of section?.unscheduledCare ?? []) {
          expect(Number(u.id.slice(3))).toBeGreaterThan(10_000);
          expect(u.attendedAt >= person.dateOfBirth).toBe(true);
        }
      }
      expect(count((s) => s.healthVisitorContacts.length > 0)).toBeGreaterThan(20);
    });
  });
}
