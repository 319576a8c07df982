import { agencyRng, ageOn, insertBatches, REFERENCE_TIME, type SeedInput, toFlag } from "@mash/kit";
import type { ProbationDB } from "./declaration.ts";

interface GoldenProbationRecord {
  onLicence?: boolean | null;
  mappaLevel?: number | null;
  riskOfSeriousHarm?: string | null;
  offences?: { id: string; date: string; category: string }[];
}

// Repeated entries weight the draw roughly as a probation caseload is made up.
const offenceCategories = [
  "VIOLENCE_AGAINST_THE_PERSON",
  "VIOLENCE_AGAINST_THE_PERSON",
  "VIOLENCE_AGAINST_THE_PERSON",
  "DRUG_OFFENCES",
  "DRUG_OFFENCES",
  "THEFT",
  "THEFT",
  "BURGLARY",
  "PUBLIC_ORDER",
  "CRIMINAL_DAMAGE",
  "FRAUD",
  "WEAPONS_POSSESSION",
  "ROBBERY",
  "SEXUAL_OFFENCES",
] as const;

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function seed({ db, population, progress }: SeedInput<ProbationDB>): Promise<void> {
  const golden = (population.fixtures.records.probation ?? {}) as Record<
    string,
    GoldenProbationRecord
  >;
  const persons: ProbationDB["persons"][] = [];
  const offences: ProbationDB["offences"][] = [];

  for (const [subjectId, record] of Object.entries(golden)) {
    persons.push({
      subject_id: subjectId,
      on_licence:
        record.onLicence === undefined || record.onLicence === null
          ? null
          : toFlag(record.onLicence),
      mappa_level: record.mappaLevel ?? null,
      risk_of_serious_harm: record.riskOfSeriousHarm ?? null,
    });
    for (const o of record.offences ?? []) {
      offences.push({ subject_id: subjectId, id: o.id, date: o.date, category: o.category });
    }
  }

  let offenceSerial = 10_000;
  for (const person of population.persons) {
    if (person.golden) continue;
    const age = ageOn(person.dateOfBirth);
    if (age < 18 || age > 75) continue;
    const rng = agencyRng(population, person, "probation");
    // Probation supervises about one adult in two hundred, nine in ten of them men; need in the
    // household (the shared risk) is what makes a MASH subject far likelier than that.
    const base = 0.003 + 0.2 * person.risk ** 2;
    if (!rng.chance(base * (person.sex === "M" ? 1.7 : 0.3))) continue;

    // Adult offences only: youth offending teams, not probation, supervise under-18s.
    const adultFrom = Date.parse(`${person.dateOfBirth}T00:00:00Z`) + 18 * YEAR_MS;
    const until = REFERENCE_TIME - YEAR_MS / 12;
    const categories = new Set<string>();
    for (let n = rng.int(1, 4); n > 0; n--) {
      const category = rng.pick(offenceCategories);
      categories.add(category);
      offenceSerial += 1;
      offences.push({
        subject_id: person.id,
        id: `OF-${offenceSerial}`,
        date: isoDate(adultFrom + rng.next() * Math.max(0, until - adultFrom)),
        category,
      });
    }

    const onLicence = rng.chance(0.3 + 0.2 * person.risk);
    const serious =
      categories.has("VIOLENCE_AGAINST_THE_PERSON") || categories.has("SEXUAL_OFFENCES");
    // Risk of serious harm leans on the kind of offending and on the household's need.
    const roll = rng.next() * 0.8 + person.risk * 0.15 + (serious ? 0.15 : 0);
    const riskOfSeriousHarm =
      roll < 0.35 ? "LOW" : roll < 0.8 ? "MEDIUM" : roll < 0.98 ? "HIGH" : "VERY_HIGH";

    // MAPPA takes registered sexual offenders, and violent offenders released on licence.
    let mappaLevel: number | null = null;
    const eligible =
      categories.has("SEXUAL_OFFENCES") ||
      (onLicence && categories.has("VIOLENCE_AGAINST_THE_PERSON") && rng.chance(0.5));
    if (eligible) {
      const level = rng.next();
      mappaLevel = riskOfSeriousHarm === "VERY_HIGH" && level < 0.3 ? 3 : level < 0.8 ? 1 : 2;
    }

    persons.push({
      subject_id: person.id,
      on_licence: toFlag(onLicence),
      mappa_level: mappaLevel,
      risk_of_serious_harm: riskOfSeriousHarm,
    });
  }

  await insertBatches(db, "persons", persons, (d) => progress("persons", d, persons.length));
  await insertBatches(db, "offences", offences, (d) => progress("offences", d, offences.length));
}
