import { describe, expect, it } from "vitest";
import { canonicalCopy, canonicalSharing } from "./canonical-before.test-support.ts";
import { settled } from "./canonical-json.ts";
import { numberBatch } from "./link-batch.ts";
import {
  type AuditEntry,
  type AuditRecord,
  canonicalJson,
  chainHash,
  chainHashOf,
  GENESIS,
} from "./record.ts";

function randomOf(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

/** A small deterministic generator of JSON-ish values, with the corners JSON.stringify has. */
function values(seed: number) {
  const { next, pick } = randomOf(seed);
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

/** Records of every shape the log keeps, with their keys in either order and the odd value. */
function records(seed: number) {
  const { next, pick } = randomOf(seed);
  const text = () =>
    pick([
      "",
      "S-1001",
      'quote " and \\ and \n',
      "\u00e9\ud83d\ude00",
      "\ud800 lone",
      "Type.field",
    ]);
  const maybe = <T>(value: () => T): T | undefined => (next() < 0.5 ? value() : undefined);
  const list = <T>(item: () => T) => Array.from({ length: Math.floor(next() * 4) }, item);
  const either = (a: Record<string, unknown>) =>
    next() < 0.5 ? a : Object.fromEntries(Object.entries(a).reverse());
  const bySubject = () => list(() => either({ agency: text(), subjects: list(text) }));
  const record: Record<string, unknown> = {
    at: "2026-01-01T00:00:00.000Z",
    requestId: text(),
    userId: text(),
    agency: pick([null, "police"]),
    roles: list(text),
    enquiryId: pick([null, "ENQ-1"]),
    breakGlassReason: pick([null, text()]),
    operationName: pick([null, text()]),
    queryHash: "a".repeat(64),
    subjects: list(text),
    released: list(() => either({ field: text(), agency: text() })),
    withheld: list(() => either({ field: text(), rule: text(), agency: maybe(text) })),
    seen: maybe(bySubject),
    held: maybe(bySubject),
    flagged: maybe(() => list(text)),
    governance: maybe(() => either({ action: text(), agency: text(), target: maybe(text) })),
    refusal: maybe(text),
    aggregate: maybe(() =>
      either({ address: text(), count: pick([0, 3, -0, 1.5]), from: text(), to: text() }),
    ),
    outcome: pick(["ok", "partial", "refused"]),
    seq: Math.floor(next() * 1000),
  };
  if (next() < 0.2) record[pick(["zz", "_x", "B", "10", "toJSON"])] = pick([text(), null, {}]);
  if (next() < 0.1) record.released = [new Date(0)];
  // As written, reversed, or in sorted order (as auditEntry makes them).
  const roll = next();
  if (roll < 0.4)
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  return roll < 0.7 ? record : either(record);
}

describe("numbering a batch", () => {
  it("writes each record's body as the canonical JSON of the entry and its number", () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const { seq: _, ...entry } = records(seed);
      const { records: numbered, bodies } = numberBatch([entry as unknown as AuditEntry], seed);
      const spread = { ...entry, seq: seed + 1 };
      expect(numbered[0]).toEqual(spread);
      expect(bodies[0]).toBe(canonicalSharing(spread));
    }
  });
});

describe("canonical JSON", () => {
  it("writes every kind of record exactly as the sorted copy did, parsed back or not", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const record = records(seed);
      expect(canonicalJson(record)).toBe(canonicalSharing(record));
      const parsed: unknown = JSON.parse(JSON.stringify(record));
      expect(canonicalJson(parsed)).toBe(canonicalSharing(parsed));
    }
    // A key JSON.parse makes an own property, and the copy's assignment does not.
    // A toJSON JSON.stringify would call, on an object or a list, at any depth.
    const toJSON = () => "x";
    for (const value of [
      { b: [{ toJSON }], a: 1 },
      { a: { z: 1, toJSON } },
      { a: [Object.assign(["s"], { toJSON })], b: [Object.assign([{}], { toJSON })] },
      Object.assign([{ b: 1, a: 2 }], { toJSON }),
      { b: 1, a: [Object.assign([[1]], { toJSON })] },
    ])
      expect(canonicalJson(value)).toBe(canonicalSharing(value));
    for (const text of [
      '{"b":1,"__proto__":{"x":1},"a":[{"__proto__":2}]}',
      '{"a":[{"__proto__":{"y":[]},"b":"c"}],"z":{"__proto__":null}}',
      '{"a":{"b":1,"__proto__":{"x":1}},"c":[{"d":2,"__proto__":3}]}',
    ]) {
      const parsed: unknown = JSON.parse(text);
      expect(canonicalJson(parsed)).toBe(canonicalSharing(parsed));
    }
  });

  it("writes every value exactly as the sorted copy did", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const value = values(seed)(4);
      expect(canonicalJson(value)).toBe(canonicalCopy(value));
      expect(canonicalJson(value)).toBe(canonicalSharing(value));
    }
  });

  it("writes a record holding settled parts exactly as the sorted copy did, at any depth", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const { next } = randomOf(seed + 7);
      const record = records(seed);
      const plain = canonicalSharing(record);
      // Settle some of its parts (as auditEntry settles a released list met before), the
      // record itself never: its text must not change for it.
      for (const key of Object.keys(record)) {
        const member = record[key];
        if (member && typeof member === "object" && next() < 0.5) settled(member);
      }
      const value = values(seed)(3);
      if (value && typeof value === "object" && next() < 0.5) settled(value);
      expect(canonicalJson(record)).toBe(plain);
      expect(canonicalJson({ b: [value], a: record })).toBe(
        canonicalSharing({ b: [value], a: record }),
      );
      expect(canonicalJson(value)).toBe(canonicalCopy(value));
    }
  });

  it("keeps a settled part's text: the part cannot be changed after", () => {
    const released = settled([{ agency: "police", field: "Police.known" }]);
    expect(() => {
      (released[0] as { agency: string }).agency = "health";
    }).toThrow(TypeError);
    expect(() => released.push({ agency: "health", field: "Health.known" })).toThrow(TypeError);
    expect(canonicalJson({ released, b: 1 })).toBe(
      '{"b":1,"released":[{"agency":"police","field":"Police.known"}]}',
    );
  });

  it("settles plain data only, and freezes it at every level even under a frozen part", () => {
    const keyed = { toJSON: (key: string) => key };
    const withToJSON = [keyed];
    expect(settled(withToJSON)).toBe(withToJSON);
    expect(Object.isFrozen(withToJSON)).toBe(false);
    expect(canonicalJson({ b: 1, released: withToJSON })).toBe(
      canonicalSharing({ b: 1, released: withToJSON }),
    );
    let agency = "police";
    const getter = [
      {
        get agency() {
          return agency;
        },
      },
    ];
    settled(getter);
    agency = "health";
    expect(canonicalJson({ released: getter })).toBe('{"released":[{"agency":"health"}]}');
    const item = { agency: "police", field: "Police.known" };
    const frozenList = Object.freeze([item]);
    settled(frozenList);
    expect(Object.isFrozen(item)).toBe(true);
    expect(canonicalJson({ released: frozenList })).toBe(
      '{"released":[{"agency":"police","field":"Police.known"}]}',
    );
    const awkward = [{ "10": 1 }];
    expect(Object.isFrozen(settled(awkward))).toBe(false);
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
