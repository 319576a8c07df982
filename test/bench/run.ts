import { parseArgs } from "node:util";
import { type Backend, storeBackends } from "@mash/kit/testing";
import { benchSearch } from "./search.ts";

/**
 * `npm run bench [-- --subjects 2000,100000] [--postgres]`: measures, never asserts. Prints a
 * Markdown table to paste into a note.
 */
const { values } = parseArgs({
  options: {
    subjects: { type: "string", default: "2000,100000" },
    postgres: { type: "boolean", default: false },
  },
});
const sizes = values.subjects.split(",").map(Number);
const backends: Backend[] = ["sqlite"];
if (values.postgres) {
  const pg = (await storeBackends()).find((b) => b.backend === "postgres");
  if (pg?.unavailable) throw new Error(`--postgres: ${pg.unavailable}`);
  backends.push("postgres");
}

const ms = (x: number) => x.toFixed(2);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
process.stdout.write("\n## Search (`searchSubjects`, in-process against the mash store)\n\n");
process.stdout.write(
  "| store | subjects | seed s | queries | p50 ms | p95 ms | p99 ms | first | top 10 |\n|---|---|---|---|---|---|---|---|---|\n",
);
for (const backend of backends) {
  for (const subjects of sizes) {
    process.stderr.write(`search: seeding ${subjects} subjects on ${backend}...\n`);
    const r = await benchSearch(backend, subjects);
    process.stdout.write(
      `| ${r.backend} | ${r.subjects} | ${r.seedSeconds.toFixed(1)} | ${r.queries} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${pct(r.top1)} | ${pct(r.top10)} |\n`,
    );
  }
}
