import {
  agencyRng,
  ageOn,
  familyNames,
  givenFemale,
  givenMale,
  groupBy,
  insertBatches,
  type Person,
  type Prng,
  REFERENCE_TIME,
  type SeedInput,
  toDateTime,
  toFlag,
} from "@mash/kit";
import type {
  AllocatedWorker,
  CaseNote,
  ChildProtectionPlan,
  ChildrensServicesDB,
} from "./declaration.ts";

const AGENCY = "childrens-services";

/** The fixture's shape: a field left out means the local authority recorded nothing for it. */
interface GoldenSocialCareRecord {
  openCase?: boolean | null;
  allocatedWorker?: AllocatedWorker | null;
  childProtectionPlan?: ChildProtectionPlan | null;
  lookedAfter?: boolean | null;
  childInNeed?: boolean | null;
  previousReferrals?: number | null;
  caseNotes?: CaseNote[];
}

const teams = [
  "Assessment Team North",
  "Assessment Team South",
  "Child Protection and Court Team",
  "Family Support Team",
  "Children in Care Team",
  "Disabled Children's Team",
] as const;

// Weighted roughly as the national statistics are: neglect and emotional abuse dominate.
const planCategories = [
  ...Array<string>(10).fill("NEGLECT"),
  ...Array<string>(7).fill("EMOTIONAL_ABUSE"),
  ...Array<string>(2).fill("PHYSICAL_ABUSE"),
  "SEXUAL_ABUSE",
  "MULTIPLE",
];

const childNotes = [
  "Referral received from school; threshold for assessment met",
  "Home visit completed; child seen alone and spoke about school and friends",
  "Core group meeting held; plan reviewed with parents",
  "Parent did not attend the planned meeting; visit rearranged",
  "Child seen at school; presented as settled and well cared for",
  "Health visitor reported missed appointments; discussed with parent",
  "Early help assessment offered; family agreed to support",
  "Strategy discussion held with police and health; single agency response agreed",
] as const;

const careLeaverNotes = [
  "Pathway plan reviewed with young person",
  "Young person supported with a housing application",
  "Keeping-in-touch call; young person doing well at college",
] as const;

const DAY_MS = 24 * 3600 * 1000;

/** Whole days between a date of birth and the reference day: nothing may be recorded earlier. */
const daysSince = (date: string) =>
  Math.max(1, Math.floor((REFERENCE_TIME - Date.parse(`${date}T00:00:00Z`)) / DAY_MS));

/** An instant in office hours, between minDays and maxDays before the reference day. */
function workingHoursBefore(rng: Prng, minDays: number, maxDays: number): string {
  const at = new Date(REFERENCE_TIME - rng.int(minDays, Math.max(minDays, maxDays)) * DAY_MS);
  at.setUTCHours(rng.int(8, 17), rng.int(0, 59), 0, 0);
  return toDateTime(at);
}

function makeWorker(rng: Prng, team: string): AllocatedWorker {
  const given = rng.pick(rng.chance(0.75) ? givenFemale : givenMale);
  const family = rng.pick(familyNames)[0] ?? "Smith";
  // 01632 960xxx is Ofcom's range for drama: it can never ring a real person.
  const phone = `01632 960${String(rng.int(0, 999)).padStart(3, "0")}`;
  return { name: `${given} ${family}`, team, phone };
}

const flag = (value: boolean | null | undefined) =>
  value === null || value === undefined ? null : toFlag(value);

export async function seed({
  db,
  population,
  progress,
}: SeedInput<ChildrensServicesDB>): Promise<void> {
  const golden = (population.fixtures.records[AGENCY] ?? {}) as Record<
    string,
    GoldenSocialCareRecord
  >;
  const persons: ChildrensServicesDB["persons"][] = [];
  const caseNotes: ChildrensServicesDB["case_notes"][] = [];

  const person = (
    subjectId: string,
    r: GoldenSocialCareRecord,
  ): ChildrensServicesDB["persons"] => ({
    subject_id: subjectId,
    open_case: flag(r.openCase),
    looked_after: flag(r.lookedAfter),
    child_in_need: flag(r.childInNeed),
    previous_referrals: r.previousReferrals ?? null,
    worker_name: r.allocatedWorker?.name ?? null,
    worker_team: r.allocatedWorker?.team ?? null,
    worker_phone: r.allocatedWorker?.phone ?? null,
    cp_category: r.childProtectionPlan?.category ?? null,
    cp_start_date: r.childProtectionPlan?.startDate ?? null,
  });

  for (const [subjectId, record] of Object.entries(golden)) {
    persons.push(person(subjectId, record));
    for (const n of record.caseNotes ?? []) {
      caseNotes.push({ subject_id: subjectId, id: n.id, recorded_at: n.recordedAt, text: n.text });
    }
  }

  let noteSerial = 10_000;
  const addNotes = (subject: Person, rng: Prng, count: number, texts: readonly string[]) => {
    const days = Math.min(1100, daysSince(subject.dateOfBirth));
    const times = Array.from({ length: count }, () => workingHoursBefore(rng, 1, days)).sort();
    // Serials follow the order the notes were written in, as a case system's would.
    for (const recordedAt of times) {
      noteSerial += 1;
      caseNotes.push({
        subject_id: subject.id,
        id: `CN-${noteSerial}`,
        recorded_at: recordedAt,
        text: rng.pick(texts),
      });
    }
  };

  const synthetic = population.persons.filter((p) => !p.golden);
  for (const household of groupBy(synthetic, (p) => p.householdId ?? p.id).values()) {
    const first = household[0] as Person;
    const risk = first.risk;
    // Siblings share one referral, one worker and usually one plan, so those are drawn once for
    // the household; the label keeps this stream apart from the first member's own one.
    const shared = agencyRng(population, first, `${AGENCY} household`);
    const children = household.filter((p) => ageOn(p.dateOfBirth) < 18);
    if (children.length > 0 && shared.chance(0.03 + 0.5 * risk)) {
      const open = shared.chance(0.15 + 0.6 * risk);
      const worker =
        open && shared.chance(0.9)
          ? makeWorker(shared, shared.pick(teams.filter((t) => t !== "Children in Care Team")))
          : null;
      const plan: ChildProtectionPlan | null =
        open && shared.chance(0.15 + 0.5 * risk)
          ? {
              category: shared.pick(planCategories),
              startDate: workingHoursBefore(shared, 10, 540).slice(0, 10),
            }
          : null;
      for (const child of children) {
        const own = agencyRng(population, child, AGENCY);
        // A child who comes into care leaves the protection plan behind.
        const lookedAfter = open && own.chance(0.04 + 0.2 * risk);
        persons.push(
          person(child.id, {
            openCase: open,
            allocatedWorker: lookedAfter ? makeWorker(own, "Children in Care Team") : worker,
            childProtectionPlan: lookedAfter ? null : plan,
            lookedAfter,
            // An open case still being assessed has no child in need decision yet.
            childInNeed: open ? (own.chance(0.85) ? true : null) : false,
            previousReferrals: open
              ? own.int(0, Math.round(5 * risk))
              : own.int(1, 1 + Math.round(4 * risk)),
          }),
        );
        addNotes(child, own, open ? own.int(1, 4) : own.int(0, 2), childNotes);
      }
    }
    // Care leavers stay known (and may keep a personal adviser) until 25.
    for (const adult of household.filter((p) => ageOn(p.dateOfBirth) >= 18)) {
      if (ageOn(adult.dateOfBirth) >= 25) continue;
      const own = agencyRng(population, adult, AGENCY);
      if (!own.chance(0.01 + 0.3 * risk)) continue;
      const open = own.chance(0.6);
      persons.push(
        person(adult.id, {
          openCase: open,
          allocatedWorker: open ? makeWorker(own, "Leaving Care Team") : null,
          lookedAfter: false,
          previousReferrals: own.int(1, 4),
        }),
      );
      addNotes(adult, own, own.int(1, 2), careLeaverNotes);
    }
  }

  await insertBatches(db, "persons", persons, (d) => progress("persons", d, persons.length));
  await insertBatches(db, "case_notes", caseNotes, (d) =>
    progress("case notes", d, caseNotes.length),
  );
}
