import { performance } from "node:perf_hooks";
import { generatePopulation, openStore, type Person, prng, seedStore } from "@mash/kit";
import { type Backend, tempStores } from "@mash/kit/testing";
import { mash } from "@mash/mash";
import { searchSubjects } from "@mash/mash/search";
import type { MashDB } from "@mash/mash/store";

export interface SearchBenchResult {
  backend: Backend;
  subjects: number;
  seedSeconds: number;
  queries: number;
  p50: number;
  p95: number;
  p99: number;
  /** Share of queries whose intended person came first, and within the first ten. */
  top1: number;
  top10: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** The slips a practitioner makes when typing what a caller said. */
function variants(person: Person, rng: ReturnType<typeof prng>) {
  const typo = (s: string) => {
    const i = rng.int(1, Math.max(1, s.length - 1));
    return rng.chance(0.5)
      ? s.slice(0, i) + s.slice(i + 1)
      : s.slice(0, i) + (s[i] ?? "") + s.slice(i);
  };
  return [
    {
      kind: "exact name + dob",
      args: { name: `${person.given} ${person.family}`, dateOfBirth: person.dateOfBirth },
    },
    {
      kind: "swapped name + dob",
      args: { name: `${person.family} ${person.given}`, dateOfBirth: person.dateOfBirth },
    },
    {
      kind: "misspelt name + dob",
      args: {
        name: `${typo(person.given)} ${typo(person.family)}`,
        dateOfBirth: person.dateOfBirth,
      },
    },
    {
      kind: "partial name + postcode",
      args: {
        name: `${person.given.slice(0, 3)} ${person.family}`,
        postcode: person.address.postcode,
      },
    },
    { kind: "NHS number", args: { nhsNumber: person.nhsNumber } },
  ];
}

export async function benchSearch(
  backend: Backend,
  subjects: number,
  queries = 500,
): Promise<SearchBenchResult> {
  const temp = tempStores(backend);
  const store = await openStore<MashDB>({
    agency: "mash",
    config: temp.configFor("mash"),
    migrations: mash.migrations,
  });
  try {
    const population = generatePopulation({ subjects });
    const seeded = performance.now();
    await seedStore(mash, store, population);
    const seedSeconds = (performance.now() - seeded) / 1000;

    const rng = prng(42);
    const people = population.persons.filter((p) => !p.golden);
    const times: number[] = [];
    let top1 = 0;
    let top10 = 0;
    let n = 0;
    // Warm the statement caches before timing.
    for (let i = 0; i < 20; i++) await searchSubjects(store, { name: "Amelia Doe" });
    while (n < queries) {
      const person = rng.pick(people);
      for (const { args } of variants(person, rng)) {
        const started = performance.now();
        const hits = await searchSubjects(store, args);
        times.push(performance.now() - started);
        const rank = hits.findIndex((h) => h.subject.id === person.id);
        if (rank === 0) top1++;
        if (rank >= 0 && rank < 10) top10++;
        n++;
      }
    }
    times.sort((a, b) => a - b);
    return {
      backend,
      subjects,
      seedSeconds,
      queries: n,
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      p99: percentile(times, 0.99),
      top1: top1 / n,
      top10: top10 / n,
    };
  } finally {
    await store.close();
    await temp.cleanup();
  }
}
