import { describe, expect, it } from "vitest";
import { canonicalCopy } from "./canonical-before.test-support.ts";
import { type AuditRecord, canonicalJson, chainHash, chainHashOf, GENESIS } from "./record.ts";

/** A small deterministic generator of JSON-ish values, with the corners JSON.stringify has. */
function values(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const keys = ["a", "b", "B", "z", "_", "10", "9", "0", "é", "agency", "field", "subjects", ""];
  const leaf = () =>
    pick<unknown>([
      null,
      undefined,
      true,
      false,
      0,
      -0,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      "",
      "S-1001",
      'quote " and \\ and \u2028',
      "\u00e9\ud83d\ude00",
      new Date(0),
    ]);
  const value = (depth: number): unknown => {
    const roll = next();
    if (depth === 0 || roll < 0.35) return leaf();
    if (roll < 0.6) {
      const list = Array.from({ length: Math.floor(next() * 5) }, () => value(depth - 1));
      if (next() < 0.1) list[list.length + 1] = value(depth - 1); // a hole
      return list;
    }
    const object: Record<string, unknown> = next() < 0.1 ? Object.create(null) : {};
    for (let i = Math.floor(next() * 5); i > 0; i--) object[pick(keys)] = value(depth - 1);
    return object;
  };
  return value;
}

describe("canonical JSON", () => {
  it("writes every value exactly as the sorted copy did", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const value = values(seed)(4);
      expect(canonicalJson(value)).toBe(canonicalCopy(value));
    }
  });

  it("sorts keys at every level, integer-like keys as JSON.stringify orders them", () => {
    const value = {
      b: [{ z: 1, a: undefined, y: [3, { d: 1, c: 2 }] }],
      "10": 1,
      "9": 2,
      a: new Date(0),
    };
    expect(canonicalJson(value)).toBe('{"9":2,"10":1,"a":{},"b":[{"y":[3,{"c":2,"d":1}],"z":1}]}');
    expect(canonicalJson(value)).toBe(canonicalCopy(value));
  });

  it("hashes a body written once as chainHash hashes the record", () => {
    const record = {
      seq: 1,
      at: "2026-01-01T00:00:00.000Z",
      subjects: ["S-1001"],
    } as unknown as AuditRecord;
    expect(chainHashOf(canonicalJson(record), GENESIS)).toBe(chainHash(record, GENESIS));
  });
});
