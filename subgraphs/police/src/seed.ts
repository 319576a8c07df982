import {
  agencyRng,
  ageOn,
  groupBy,
  insertBatches,
  type Person,
  type SeedInput,
  toFlag,
} from "@mash/kit";
import type { PoliceDB } from "./declaration.ts";

interface GoldenPoliceRecord {
  warningMarkers?: string[];
  incidents?: {
    id: string;
    occurredAt: string;
    category: string;
    summary: string;
    childPresent: boolean;
  }[];
  intelligence?: {
    id: string;
    grading: string;
    handlingCode: string;
    summary: string;
    source: string;
  }[];
}

const incidentKinds = [
  ["DOMESTIC_ABUSE", "Police called to a verbal argument; no offences disclosed"],
  ["DOMESTIC_ABUSE", "Report of shouting and a door being damaged; both parties spoken to"],
  ["ASSAULT", "Named as suspect in an assault outside licensed premises"],
  ["CONCERN_FOR_WELFARE", "Welfare check requested by a relative; person found safe"],
  ["MISSING_PERSON", "Reported missing overnight; returned the next morning"],
  ["ANTISOCIAL_BEHAVIOUR", "Neighbour complaint about noise and visitors late at night"],
  ["CRIMINAL_DAMAGE", "Window of a neighbouring property damaged"],
] as const;

const intelligenceItems = [
  ["Believed to be associating with people linked to drug supply", "community contact"],
  ["Vehicle seen outside the address late at night on several occasions", "police patrol"],
  ["Reported to be carrying a knife", "anonymous caller"],
  ["Said to be drinking heavily at weekends", "community contact"],
  ["Linked to a group suspected of exploiting young people", "partner agency"],
] as const;

export async function seed({ db, population, progress }: SeedInput<PoliceDB>): Promise<void> {
  const golden = (population.fixtures.records.police ?? {}) as Record<string, GoldenPoliceRecord>;
  const persons: PoliceDB["persons"][] = [];
  const markers: PoliceDB["warning_markers"][] = [];
  const incidents: PoliceDB["incidents"][] = [];
  const intelligence: PoliceDB["intelligence"][] = [];

  for (const [subjectId, record] of Object.entries(golden)) {
    persons.push({ subject_id: subjectId });
    for (const marker of record.warningMarkers ?? [])
      markers.push({ subject_id: subjectId, marker });
    for (const i of record.incidents ?? []) {
      incidents.push({
        subject_id: subjectId,
        id: i.id,
        occurred_at: i.occurredAt,
        category: i.category,
        summary: i.summary,
        child_present: toFlag(i.childPresent),
      });
    }
    for (const n of record.intelligence ?? []) {
      intelligence.push({
        subject_id: subjectId,
        id: n.id,
        grading: n.grading,
        handling_code: n.handlingCode,
        summary: n.summary,
        source: n.source,
      });
    }
  }

  // Incidents are drawn per household: one call-out involves every adult at the address.
  const synthetic = population.persons.filter((p) => !p.golden);
  let incidentSerial = 10_000;
  let intelligenceSerial = 1_000;
  for (const household of groupBy(synthetic, (p) => p.householdId ?? p.id).values()) {
    const first = household[0] as Person;
    const rng = agencyRng(population, first, "police");
    const adults = household.filter((p) => ageOn(p.dateOfBirth) >= 18);
    const childPresent = adults.length < household.length;
    const known = new Set<string>();
    for (let n = rng.chance(0.05 + 0.7 * first.risk) ? rng.int(1, 3) : 0; n > 0; n--) {
      const [category, summary] = rng.pick(incidentKinds);
      const occurredAt = new Date(
        Date.UTC(
          2020 + rng.int(0, 6),
          rng.int(0, 10),
          rng.int(1, 28),
          rng.int(0, 23),
          rng.int(0, 59),
        ),
      );
      incidentSerial += 1;
      for (const adult of adults) {
        known.add(adult.id);
        incidents.push({
          subject_id: adult.id,
          id: `PI-${incidentSerial}`,
          occurred_at: occurredAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
          category,
          summary,
          child_present: toFlag(childPresent && rng.chance(0.7)),
        });
      }
    }
    for (const adult of adults) {
      const own = agencyRng(population, adult, "police");
      if (own.chance(0.02 + 0.5 * adult.risk * adult.risk)) {
        known.add(adult.id);
        for (let k = own.int(1, 2); k > 0; k--) {
          const [summary, source] = own.pick(intelligenceItems);
          intelligenceSerial += 1;
          intelligence.push({
            subject_id: adult.id,
            id: `INT-${intelligenceSerial}`,
            grading: `${own.pick(["A", "B", "C", "D", "E"])}${own.int(1, 5)}`,
            handling_code: own.chance(0.7) ? "P" : "C",
            summary,
            source,
          });
        }
      }
      if (known.has(adult.id) && own.chance(0.3)) {
        markers.push({
          subject_id: adult.id,
          marker: own.pick(["VIOLENCE", "DRUGS", "WEAPONS", "MENTAL_HEALTH"]),
        });
      }
    }
    for (const id of known) persons.push({ subject_id: id });
  }

  await insertBatches(db, "persons", persons, (d) => progress("persons", d, persons.length));
  await insertBatches(db, "warning_markers", markers, (d) =>
    progress("warning markers", d, markers.length),
  );
  await insertBatches(db, "incidents", incidents, (d) =>
    progress("incidents", d, incidents.length),
  );
  await insertBatches(db, "intelligence", intelligence, (d) =>
    progress("intelligence", d, intelligence.length),
  );
}
