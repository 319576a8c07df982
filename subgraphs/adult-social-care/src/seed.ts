import {
  agencyRng,
  ageOn,
  insertBatches,
  REFERENCE_TIME,
  type SeedInput,
  toDateTime,
} from "@mash/kit";
import type { AdultSocialCareDB } from "./declaration.ts";

interface GoldenAdultSocialCareRecord {
  safeguardingEnquiries?: { id: string; openedAt: string; concern: string; status: string }[];
  careNeeds?: string | null;
}

const olderPeoplesNeeds = [
  "Lives alone; needs help with washing and dressing; two home care visits a day",
  "Reduced mobility after a fall; uses a walking frame; equipment and a pendant alarm provided",
  "Moderate dementia; lives with spouse who is the main carer; day centre twice a week",
  "Early-stage dementia; family visit daily; no package of care",
  "Sight loss; needs help with shopping, medication and correspondence",
  "Residential care home placement after a hospital discharge",
  "Heart failure and breathlessness; reablement after a hospital stay",
] as const;

const workingAgeNeeds = [
  "Learning disability; supported living placement with 24-hour staff",
  "Physical disability after a spinal injury; personal assistant funded by a direct payment",
  "Severe mental illness; supported by a care coordinator from the community mental health team",
  "Autism; lives with parents who are ageing carers; respite twice a year",
  "Acquired brain injury; help with budgeting and daily routines",
  "Alcohol dependency; housing-related support and a referral to recovery services",
] as const;

// The Care Act 2014 statutory guidance's types of abuse and neglect, weighted as section 42
// enquiries are in the national Safeguarding Adults Collection.
const concerns = [
  "Neglect and acts of omission",
  "Neglect and acts of omission",
  "Neglect and acts of omission",
  "Physical abuse",
  "Physical abuse",
  "Financial or material abuse",
  "Financial or material abuse",
  "Self-neglect",
  "Self-neglect",
  "Psychological abuse",
  "Domestic abuse",
  "Organisational abuse",
  "Sexual abuse",
  "Discriminatory abuse",
  "Modern slavery",
] as const;

const DAY_MS = 24 * 3600 * 1000;

export async function seed({
  db,
  population,
  progress,
}: SeedInput<AdultSocialCareDB>): Promise<void> {
  const golden = (population.fixtures.records["adult-social-care"] ?? {}) as Record<
    string,
    GoldenAdultSocialCareRecord
  >;
  const persons: AdultSocialCareDB["persons"][] = [];
  const enquiries: AdultSocialCareDB["safeguarding_enquiries"][] = [];

  for (const [subjectId, record] of Object.entries(golden)) {
    persons.push({ subject_id: subjectId, care_needs: record.careNeeds ?? null });
    for (const e of record.safeguardingEnquiries ?? []) {
      enquiries.push({
        subject_id: subjectId,
        id: e.id,
        opened_at: e.openedAt,
        concern: e.concern,
        status: e.status,
      });
    }
  }

  let enquirySerial = 10_000;
  for (const person of population.persons) {
    if (person.golden) continue;
    const age = ageOn(person.dateOfBirth);
    if (age < 18) continue;
    const rng = agencyRng(population, person, "adult-social-care");
    // Most people adult social care supports are over 65; among working-age adults it is the few
    // with a disability or illness, which the household's need stands in for here.
    const older = age >= 65;
    if (!rng.chance(older ? 0.08 + 0.4 * person.risk : 0.005 + 0.08 * person.risk)) continue;

    // Some people are known only because a concern was raised, with no assessed needs.
    const careNeeds = rng.chance(0.85)
      ? rng.pick(older ? olderPeoplesNeeds : workingAgeNeeds)
      : null;
    let count = rng.chance(0.1 + 0.5 * person.risk) ? rng.int(1, 2) : 0;
    if (careNeeds === null) count = Math.max(count, 1);
    for (; count > 0; count--) {
      // Skewed to recent dates, so that some enquiries are still open.
      const daysAgo = 1 + Math.floor(rng.next() ** 2 * 1000);
      // Opened in office hours; enquiries mostly close within three months.
      const openedAt =
        REFERENCE_TIME - daysAgo * DAY_MS + rng.int(-1, 6) * 3_600_000 + rng.int(0, 59) * 60_000;
      enquirySerial += 1;
      enquiries.push({
        subject_id: person.id,
        id: `S42-${enquirySerial}`,
        opened_at: toDateTime(openedAt),
        concern: rng.pick(concerns),
        status: daysAgo < 90 && rng.chance(0.7) ? "OPEN" : "CLOSED",
      });
    }
    persons.push({ subject_id: person.id, care_needs: careNeeds });
  }

  await insertBatches(db, "persons", persons, (d) => progress("persons", d, persons.length));
  await insertBatches(db, "safeguarding_enquiries", enquiries, (d) =>
    progress("safeguarding enquiries", d, enquiries.length),
  );
}
