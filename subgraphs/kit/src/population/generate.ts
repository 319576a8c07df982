import { type GoldenFixtures, loadFixtures } from "./fixtures.ts";
import { familyNames, givenFemale, givenMale, outwardCodes, streets } from "./names.ts";
import { testNhsNumber } from "./nhs-number.ts";
import { hashString, mixSeed, type Prng, prng } from "./prng.ts";

/**
 * The synthetic population every agency seeds from. Each agency process generates it again from
 * the same seed and keeps only its own part, so the stores agree without talking to each other.
 */
export interface Person {
  id: string;
  /** Position in the population: the stable key for per-agency random streams. */
  index: number;
  given: string;
  family: string;
  sex: "F" | "M";
  dateOfBirth: string;
  nhsNumber: string;
  address: { line1: string; postcode: string };
  sealed: boolean;
  householdId: string | null;
  /** Latent need, 0 to 1, shared by a household: drives how many agencies know the person. */
  risk: number;
  golden: boolean;
}

export interface PopulationEnquiry {
  id: string;
  number: number;
  status: "OPEN" | "CLOSED";
  rag: "RED" | "AMBER" | "GREEN";
  openedAt: string;
  reason: string;
  subjects: string[];
  outcome: string | null;
  closedAt: string | null;
  closeReason: string | null;
  /** The agency whose front door leads the enquiry; null when the fixture does not say. */
  lead: string | null;
  /** The agencies ragged in to research, as the fixture lists them; none for synthetic ones. */
  asked: string[];
}

export interface Population {
  seed: number;
  persons: Person[];
  enquiries: PopulationEnquiry[];
  fixtures: GoldenFixtures;
}

export const DEFAULT_SEED = 20_261_126;
export const DEFAULT_SUBJECTS = 2000;
/** The population is aged against a fixed day, so it is the same whenever it is generated. */
export const REFERENCE_TIME = Date.parse("2026-11-25T09:00:00Z");
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** Ages of a person on the reference day, from the date of birth. */
export function ageOn(dateOfBirth: string, at = REFERENCE_TIME): number {
  return Math.floor((at - Date.parse(`${dateOfBirth}T00:00:00Z`)) / YEAR_MS);
}

/** A random stream of one person's records in one agency; independent of every other agency's. */
export function agencyRng(population: Population, person: Person, agency: string): Prng {
  return prng(mixSeed(population.seed, person.index, hashString(agency)));
}

export function generatePopulation(
  options: { subjects?: number; seed?: number; fixtures?: GoldenFixtures } = {},
): Population {
  const seed = options.seed ?? DEFAULT_SEED;
  const total = options.subjects ?? DEFAULT_SUBJECTS;
  const fixtures = options.fixtures ?? loadFixtures();
  const rng = prng(seed);
  const persons: Person[] = goldenPersons(fixtures);
  const enquiries: PopulationEnquiry[] = goldenEnquiries(fixtures);
  let household = 0;
  let enquiryNumber = 3000;

  while (persons.length - fixtures.subjects.length < total) {
    household += 1;
    const left = total - (persons.length - fixtures.subjects.length);
    const members = makeHousehold(rng, household, persons.length, Math.min(left, 6));
    persons.push(...members);
    const risk = members[0]?.risk ?? 0;
    if (risk > 0.8 && rng.chance(0.5)) {
      enquiryNumber += 1;
      enquiries.push(makeEnquiry(rng, enquiryNumber, members));
    }
  }
  return { seed, persons, enquiries, fixtures };
}

function goldenPersons(fixtures: GoldenFixtures): Person[] {
  const householdOf = new Map<string, string>();
  for (const s of fixtures.subjects) {
    if (!s.household?.length) continue;
    // Members share the smallest id in their household as its key.
    const key = `H-${[s.id, ...s.household].sort()[0]}`;
    householdOf.set(s.id, key);
  }
  return fixtures.subjects.map((s, i) => ({
    id: s.id,
    index: -1 - i,
    given: s.name.given,
    family: s.name.family,
    sex: "F",
    dateOfBirth: s.dateOfBirth,
    nhsNumber: s.nhsNumber,
    address: { ...s.address },
    sealed: s.sealed,
    householdId: householdOf.get(s.id) ?? null,
    risk: 0,
    golden: true,
  }));
}

function goldenEnquiries(fixtures: GoldenFixtures): PopulationEnquiry[] {
  return fixtures.enquiries.map((e) => ({
    id: e.id,
    number: Number(e.id.replace(/\D/g, "")),
    status: e.status,
    rag: e.rag,
    openedAt: e.openedAt,
    reason: e.reason,
    subjects: [...e.subjects],
    outcome: e.outcome ?? null,
    closedAt: e.status === "CLOSED" ? e.openedAt : null,
    closeReason: e.status === "CLOSED" ? "Recorded before this system" : null,
    lead: e.lead ?? null,
    asked: [...(e.asked ?? [])],
  }));
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function birthDate(rng: Prng, minAge: number, maxAge: number): string {
  const age = minAge + rng.next() * (maxAge - minAge);
  return isoDate(REFERENCE_TIME - age * YEAR_MS);
}

function familySpelling(rng: Prng, family: readonly string[]): string {
  // Mostly the common spelling, sometimes a variant: the near-duplicates search must tell apart.
  return family.length > 1 && rng.chance(0.2) ? rng.pick(family.slice(1)) : (family[0] as string);
}

function makeHousehold(rng: Prng, household: number, firstIndex: number, room: number): Person[] {
  const risk = rng.next() ** 3;
  const family = rng.pick(familyNames);
  const address = {
    line1: `${rng.int(1, 180)} ${rng.pick(streets)}`,
    postcode: `${rng.pick(outwardCodes)} ${rng.int(1, 9)}${String.fromCharCode(65 + rng.int(0, 25))}${String.fromCharCode(65 + rng.int(0, 25))}`,
  };
  const householdId = `H-${household}`;
  const shape: { minAge: number; maxAge: number }[] = [];
  if (rng.chance(0.12)) {
    shape.push({ minAge: 68, maxAge: 97 });
  } else {
    shape.push({ minAge: 19, maxAge: 58 });
    if (rng.chance(0.6)) shape.push({ minAge: 19, maxAge: 58 });
    for (let c = rng.int(0, 3); c > 0; c--) shape.push({ minAge: 0, maxAge: 17.9 });
  }
  return shape.slice(0, room).map((ages, i) => {
    const index = firstIndex + i;
    const sex = rng.chance(0.5) ? "F" : "M";
    const partnerHasOwnName = i === 1 && rng.chance(0.4);
    return {
      id: `S-${100_000 + index}`,
      index,
      given: rng.pick(sex === "F" ? givenFemale : givenMale),
      family: partnerHasOwnName
        ? familySpelling(rng, rng.pick(familyNames))
        : familySpelling(rng, family),
      sex,
      dateOfBirth: birthDate(rng, ages.minAge, ages.maxAge),
      nhsNumber: testNhsNumber(100_000 + index * 3),
      address,
      sealed: ages.maxAge < 18 && rng.chance(0.01),
      householdId: shape.length > 1 ? householdId : null,
      risk,
      golden: false,
    };
  });
}

const enquiryReasons = [
  "School reports injury with an inconsistent explanation",
  "Police attended domestic abuse incident; children present",
  "Health visitor concerned about home conditions",
  "Anonymous report of children left alone overnight",
  "GP reports missed appointments and weight loss",
  "Neighbour reports shouting and a child crying late at night",
  "Attendance has fallen sharply this term",
  "Adult at risk reported to be financially exploited",
] as const;

function makeEnquiry(rng: Prng, number: number, members: Person[]): PopulationEnquiry {
  const open = rng.chance(0.7);
  const opened = REFERENCE_TIME - rng.int(1, open ? 72 : 400) * 3600 * 1000;
  const toIso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    id: `ENQ-${number}`,
    number,
    status: open ? "OPEN" : "CLOSED",
    rag: rng.pick(["RED", "AMBER", "GREEN"] as const),
    openedAt: toIso(opened),
    reason: rng.pick(enquiryReasons),
    subjects: members.map((m) => m.id),
    outcome: open ? null : rng.pick(["NO_FURTHER_ACTION", "EARLY_HELP", "SECTION_17_ASSESSMENT"]),
    closedAt: open ? null : toIso(opened + rng.int(4, 70) * 3600 * 1000),
    closeReason: open ? null : "Checks complete; threshold decision recorded",
    // The default front doors: children's social care when a child is involved, adult social
    // care otherwise. Read from the members, not drawn, so the random stream (and with it every
    // agency's population) stays as it was.
    lead: members.some((m) => ageOn(m.dateOfBirth) < 18)
      ? "childrens-services"
      : "adult-social-care",
    asked: [],
  };
}
