import { parseArgs } from "node:util";
import {
  DEFAULT_SEED,
  DEFAULT_SUBJECTS,
  generatePopulation,
  openStore,
  seedStore,
  storeConfigFor,
  terminalProgress,
} from "@mash/kit";
import { agencies } from "./agencies.ts";

/**
 * `npm run seed [-- --subjects 100000] [--seed N] [--only police,health]`: replaces every agency's
 * store with a fresh synthetic population (and the golden fixtures). Deterministic: the same
 * options give the same records on every machine.
 */
function usage(problem: string): never {
  process.stderr.write(
    `${problem}\nUsage: npm run seed -- [--subjects N] [--seed N] [--only agency,agency]\n`,
  );
  process.exit(2);
}

let values: { subjects?: string; seed?: string; only?: string };
try {
  ({ values } = parseArgs({
    options: { subjects: { type: "string" }, seed: { type: "string" }, only: { type: "string" } },
  }));
} catch (error) {
  usage((error as Error).message);
}
const subjects = Number(values.subjects ?? DEFAULT_SUBJECTS);
if (!Number.isInteger(subjects) || subjects < 0 || subjects > 1_000_000) {
  usage(`--subjects must be a whole number from 0 to 1,000,000; got "${values.subjects}".`);
}
const seed = Number(values.seed ?? DEFAULT_SEED);
if (!Number.isInteger(seed)) usage(`--seed must be a whole number; got "${values.seed}".`);
const only = values.only?.split(",").map((s) => s.trim());
const unknown = only?.filter((name) => !agencies.some((a) => a.name === name)) ?? [];
if (unknown.length) usage(`--only names unknown agencies: ${unknown.join(", ")}.`);

const started = Date.now();
process.stderr.write(`Generating ${subjects} synthetic subjects (seed ${seed})...\n`);
const population = generatePopulation({ subjects, seed });
for (const agency of agencies.filter((a) => !only || only.includes(a.name))) {
  const store = await openStore({
    agency: agency.name,
    config: storeConfigFor(agency.name, process.env),
    migrations: agency.migrations,
    // A damaged store is refused before anything is written to it (StoreDamaged names it).
    checkPages: true,
  });
  try {
    await seedStore(
      agency,
      store,
      population,
      terminalProgress(agency.name),
      agency.settings?.(process.env),
    );
  } finally {
    await store.close();
  }
}
process.stderr.write(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
