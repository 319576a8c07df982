import {
  agencyRng,
  ageOn,
  groupBy,
  insertBatches,
  type Person,
  REFERENCE_TIME,
  type SeedInput,
  toFlag,
} from "@mash/kit";
import type { EducationDB } from "./declaration.ts";

interface GoldenEducationRecord {
  school?: { name: string; urn: string } | null;
  attendancePercent?: number | null;
  exclusions?: { id: string; date: string; kind: string; reason: string }[];
  send?: { status: string } | null;
  missingEducation?: boolean | null;
}

type School = readonly [name: string, urn: string];

const primarySchools: readonly School[] = [
  ["Ribble Bank Primary School", "119402"],
  ["St George's CE Primary School", "119533"],
  ["Deepdale Community Primary School", "119214"],
  ["Ashton Lane Primary School", "119687"],
  ["Orchard Way Infant and Junior School", "138245"],
  ["Holme Slack Primary Academy", "141872"],
];

const secondarySchools: readonly School[] = [
  ["Fishergate High School", "119761"],
  ["Tulketh Academy", "140558"],
  ["Garstang Road Community High School", "119790"],
  ["Moor Lane Catholic High School", "119815"],
];

/** Where a permanently excluded pupil goes next: the local pupil referral unit. */
const referralUnit: School = ["Preston Pupil Referral Unit", "131904"];

// The Department for Education's reason categories, worded as a school would record them.
const exclusionReasons = [
  "Persistent disruptive behaviour",
  "Physical assault against a pupil",
  "Verbal abuse or threatening behaviour against an adult",
  "Bullying",
  "Damage to school property",
  "Drug and alcohol related",
  "Use or threat of use of an offensive weapon",
] as const;

const DAY_MS = 24 * 3600 * 1000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function seed({ db, population, progress }: SeedInput<EducationDB>): Promise<void> {
  const golden = (population.fixtures.records.education ?? {}) as Record<
    string,
    GoldenEducationRecord
  >;
  const persons: EducationDB["persons"][] = [];
  const exclusions: EducationDB["exclusions"][] = [];

  for (const [subjectId, record] of Object.entries(golden)) {
    persons.push({
      subject_id: subjectId,
      school_name: record.school?.name ?? null,
      school_urn: record.school?.urn ?? null,
      attendance_percent: record.attendancePercent ?? null,
      send_status: record.send?.status ?? null,
      missing_education:
        record.missingEducation === undefined || record.missingEducation === null
          ? null
          : toFlag(record.missingEducation),
    });
    for (const x of record.exclusions ?? []) {
      exclusions.push({
        subject_id: subjectId,
        id: x.id,
        date: x.date,
        kind: x.kind,
        reason: x.reason,
      });
    }
  }

  // Brothers and sisters usually go to the same schools, so the schools are drawn per household.
  const synthetic = population.persons.filter((p) => !p.golden);
  let exclusionSerial = 10_000;
  for (const household of groupBy(synthetic, (p) => p.householdId ?? p.id).values()) {
    const first = household[0] as Person;
    const schools = agencyRng(population, first, "education/schools");
    const primary = schools.pick(primarySchools);
    const secondary = schools.pick(secondarySchools);

    for (const child of household) {
      const age = ageOn(child.dateOfBirth);
      if (age < 4 || age > 16) continue;
      const rng = agencyRng(population, child, "education");
      // A few children are not known at all: families newly arrived and not yet registered.
      if (!rng.chance(0.985 + 0.01 * (1 - child.risk))) continue;
      const send = rng.next();
      const sendStatus =
        send < 0.04 + 0.04 * child.risk
          ? "EHCP"
          : send < 0.17 + 0.1 * child.risk
            ? "SEN_SUPPORT"
            : "NONE";

      if (rng.chance(0.004 + 0.04 * child.risk)) {
        persons.push({
          subject_id: child.id,
          school_name: null,
          school_urn: null,
          attendance_percent: null,
          send_status: sendStatus,
          missing_education: toFlag(true),
        });
        continue;
      }

      let school = age <= 10 ? primary : secondary;
      // Exclusions are rare below junior age, and rise steeply with need.
      if (age >= 7) {
        for (let n = rng.chance(0.01 + 0.3 * child.risk ** 2) ? rng.int(1, 3) : 0; n > 0; n--) {
          exclusionSerial += 1;
          exclusions.push({
            subject_id: child.id,
            id: `EX-${exclusionSerial}`,
            date: isoDate(REFERENCE_TIME - rng.int(7, 800) * DAY_MS),
            kind: "SUSPENSION",
            reason: rng.pick(exclusionReasons),
          });
        }
        if (rng.chance(0.001 + 0.03 * child.risk ** 2)) {
          exclusionSerial += 1;
          exclusions.push({
            subject_id: child.id,
            id: `EX-${exclusionSerial}`,
            date: isoDate(REFERENCE_TIME - rng.int(7, 200) * DAY_MS),
            kind: "PERMANENT_EXCLUSION",
            reason: rng.pick(exclusionReasons),
          });
          school = referralUnit;
        }
      }

      // About 93% on average and one pupil in four or five below 90% (persistently absent), as in
      // England; absence climbs with the family's level of need.
      const absence = rng.next() ** 3 * 12 + child.risk * rng.next() * 30;
      persons.push({
        subject_id: child.id,
        school_name: school[0],
        school_urn: school[1],
        attendance_percent: Math.round((100 - absence) * 10) / 10,
        send_status: sendStatus,
        missing_education: toFlag(false),
      });
    }
  }

  await insertBatches(db, "persons", persons, (d) => progress("persons", d, persons.length));
  await insertBatches(db, "exclusions", exclusions, (d) =>
    progress("exclusions", d, exclusions.length),
  );
}
