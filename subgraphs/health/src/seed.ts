import {
  agencyRng,
  ageOn,
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
  GpPractice,
  HealthDB,
  HealthVisitorContact,
  Maternity,
  MentalHealth,
  UnscheduledCareAttendance,
} from "./declaration.ts";
import { practices, reasonsByAge, reviews, settings, targetedVisits } from "./seed-vocabulary.ts";

const AGENCY = "health";

/** The fixture's shape: a field left out means the NHS recorded nothing for it. */
interface GoldenHealthRecord {
  gpPractice?: GpPractice | null;
  unscheduledCare?: UnscheduledCareAttendance[];
  mentalHealth?: MentalHealth | null;
  healthVisitorContacts?: HealthVisitorContact[];
  maternity?: Maternity | null;
}

const DAY_MS = 24 * 3600 * 1000;

/** An instant at the given hours, `days` after a starting point. */
function at(from: number, days: number, rng: Prng, firstHour: number, lastHour: number): string {
  const when = new Date(from + days * DAY_MS);
  when.setUTCHours(rng.int(firstHour, lastHour), rng.int(0, 59), 0, 0);
  return toDateTime(when);
}

function mentalHealthFor(rng: Prng, age: number, risk: number, pregnant: boolean): MentalHealth {
  const [chance, services]: [number, readonly string[]] =
    age < 5
      ? [0, []]
      : age < 18
        ? [0.02 + 0.2 * risk, ["Children and Young People's Mental Health Service"]]
        : age < 65
          ? [
              0.03 + 0.25 * risk,
              pregnant
                ? ["Perinatal Mental Health Team"]
                : [
                    "Community Mental Health Team",
                    "Talking Therapies",
                    "Early Intervention in Psychosis",
                  ],
            ]
          : [0.05 + 0.1 * risk, ["Memory Assessment Service", "Older Adults Mental Health Team"]];
  return rng.chance(chance)
    ? { openToServices: true, service: rng.pick(services) }
    : { openToServices: false, service: null };
}

export async function seed({ db, population, progress }: SeedInput<HealthDB>): Promise<void> {
  const golden = (population.fixtures.records[AGENCY] ?? {}) as Record<string, GoldenHealthRecord>;
  const persons: HealthDB["persons"][] = [];
  const care: HealthDB["unscheduled_care"][] = [];
  const visits: HealthDB["health_visitor_contacts"][] = [];

  const person = (subjectId: string, r: GoldenHealthRecord): HealthDB["persons"] => ({
    subject_id: subjectId,
    gp_name: r.gpPractice?.name ?? null,
    gp_phone: r.gpPractice?.phone ?? null,
    mh_open_to_services: r.mentalHealth ? toFlag(r.mentalHealth.openToServices) : null,
    mh_service: r.mentalHealth?.service ?? null,
    maternity_booked: r.maternity ? toFlag(r.maternity.booked) : null,
    maternity_expected_delivery_date: r.maternity?.expectedDeliveryDate ?? null,
  });

  for (const [subjectId, record] of Object.entries(golden)) {
    persons.push(person(subjectId, record));
    for (const u of record.unscheduledCare ?? []) {
      care.push({
        subject_id: subjectId,
        id: u.id,
        attended_at: u.attendedAt,
        setting: u.setting,
        reason: u.reason,
      });
    }
    for (const h of record.healthVisitorContacts ?? []) {
      visits.push({
        subject_id: subjectId,
        id: h.id,
        contacted_at: h.contactedAt,
        summary: h.summary,
      });
    }
  }

  let careSerial = 10_000;
  let visitSerial = 10_000;
  const synthetic = population.persons.filter((p) => !p.golden);
  for (const household of groupBy(synthetic, (p) => p.householdId ?? p.id).values()) {
    // A household registers with one practice; the label keeps this stream apart from the first
    // member's own one.
    const practice = agencyRng(population, household[0] as Person, `${AGENCY} household`).pick(
      practices,
    );
    for (const member of household) {
      const own = agencyRng(population, member, AGENCY);
      const age = ageOn(member.dateOfBirth);
      const born = Date.parse(`${member.dateOfBirth}T00:00:00Z`);
      const daysAlive = Math.max(1, Math.floor((REFERENCE_TIME - born) / DAY_MS));
      // People with more going on move more and register less.
      const registered = own.chance(0.95 - 0.15 * member.risk);

      const attendances = own.chance(0.08 + 0.45 * member.risk) ? own.int(1, 3) : 0;
      const reasons = reasonsByAge.find(([maxAge]) => age <= maxAge)?.[1] ?? [];
      const times = Array.from({ length: attendances }, () =>
        at(REFERENCE_TIME, -own.int(1, Math.min(1100, daysAlive)), own, 0, 23),
      ).sort();
      for (const attendedAt of times) {
        careSerial += 1;
        care.push({
          subject_id: member.id,
          id: `UC-${careSerial}`,
          attended_at: attendedAt,
          setting: own.pick(settings),
          reason: own.pick(reasons),
        });
      }

      const contacts: { at: string; summary: string }[] = [];
      if (age < 5) {
        for (const [day, summaries] of reviews) {
          if (day >= daysAlive) break;
          const missed = own.chance(0.05 + 0.3 * member.risk);
          contacts.push({
            at: at(born, day, own, 9, 16),
            summary: missed
              ? "Not brought to the planned review; letter sent"
              : own.pick(summaries),
          });
        }
        for (let k = own.chance(member.risk) ? own.int(1, 3) : 0; k > 0; k--) {
          contacts.push({
            at: at(born, own.int(1, daysAlive), own, 9, 16),
            summary: own.pick(targetedVisits),
          });
        }
      }
      for (const c of contacts.sort((a, b) => a.at.localeCompare(b.at))) {
        if (Date.parse(c.at) > REFERENCE_TIME) continue;
        visitSerial += 1;
        visits.push({
          subject_id: member.id,
          id: `HV-${visitSerial}`,
          contacted_at: c.at,
          summary: c.summary,
        });
      }

      let maternity: Maternity | null = null;
      if (member.sex === "F" && age >= 18 && age <= 45 && own.chance(0.05 + 0.03 * member.risk)) {
        // Late booking and unscanned (sometimes concealed) pregnancies go with higher need.
        const booked = own.chance(0.9 - 0.4 * member.risk);
        const dated = booked || own.chance(0.5);
        maternity = {
          booked,
          expectedDeliveryDate: dated
            ? new Date(REFERENCE_TIME + own.int(7, 270) * DAY_MS).toISOString().slice(0, 10)
            : null,
        };
      }

      if (!registered && attendances === 0 && contacts.length === 0 && !maternity) continue;
      persons.push(
        person(member.id, {
          gpPractice: registered ? practice : null,
          // Mental health status comes from the GP record, so only the registered have one.
          mentalHealth: registered
            ? mentalHealthFor(own, age, member.risk, maternity !== null)
            : null,
          maternity,
        }),
      );
    }
  }

  await insertBatches(db, "persons", persons, (d) => progress("persons", d, persons.length));
  await insertBatches(db, "unscheduled_care", care, (d) =>
    progress("unscheduled care", d, care.length),
  );
  await insertBatches(db, "health_visitor_contacts", visits, (d) =>
    progress("health visitor contacts", d, visits.length),
  );
}
