import { describe, expect, it } from "vitest";
import { subjectRowsBefore } from "./collect-before.test-support.ts";
import { agencyRows, subjectRows } from "./index-rows.ts";
import type { AuditRecord } from "./record.ts";

/** agencyRows as it was written before its loops were cut. */
function agencyRowsBefore(record: AuditRecord) {
  const touched = new Map<string, true>();
  for (const { agency } of record.seen ?? []) touched.set(agency, true);
  for (const { agency } of record.released) touched.set(agency, true);
  for (const { agency } of record.withheld) if (agency) touched.set(agency, true);
  if (record.governance) touched.set(record.governance.agency, true);
  return [...touched].map(([agency]) => ({ seq: record.seq, agency }));
}

describe("the index rows of a record", () => {
  it("name the agencies touched as before, each once, in the order first touched", () => {
    let state = 3;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const agencies = ["police", "health", "", "mash", undefined];
    const pick = () => agencies[Math.floor(next() * agencies.length)];
    const list = () => Array.from({ length: Math.floor(next() * 6) }, () => ({ agency: pick() }));
    for (let i = 0; i < 1000; i++) {
      const record = {
        seq: i,
        released: list(),
        withheld: list(),
        ...(next() < 0.7 ? { seen: list() } : {}),
        ...(next() < 0.2 ? { governance: { action: "a", agency: pick() } } : {}),
      } as unknown as AuditRecord;
      expect(agencyRows(record)).toEqual(agencyRowsBefore(record));
    }
  });

  it("have the subject rows the flatMap of every agency's people had, in their order", () => {
    let state = 7;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const people = ["S-3", "S-1", "S-2", "S-10", "s-1"];
    const some = () => people.filter(() => next() < 0.5);
    for (let i = 0; i < 500; i++) {
      const seen =
        next() < 0.1
          ? undefined
          : Array.from({ length: Math.floor(next() * 5) }, () => ({
              agency: "a",
              subjects: some(),
            }));
      const record = { seq: i, ...(seen ? { seen } : {}) } as unknown as AuditRecord;
      expect(subjectRows(record)).toEqual(subjectRowsBefore(record));
    }
  });
});
