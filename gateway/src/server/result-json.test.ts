import type { FormattedExecutionResult } from "graphql";
import { afterEach, describe, expect, test, vi } from "vitest";
import { formatError } from "./error-format.ts";
import { sharedJson } from "./json-pieces.ts";
import { resultBytes, stringifyResult } from "./result-json.ts";

const standard = (value: unknown) => `${JSON.stringify(value)}\n`;
/** The text, and the bytes, are JSON.stringify's (twice: the second time from what was kept). */
const same = (result: unknown) => {
  for (let i = 0; i < 2; i++) {
    expect(stringifyResult(result as FormattedExecutionResult)).toBe(standard(result));
    expect(
      Buffer.from(standard(result)).equals(resultBytes(result as FormattedExecutionResult)),
    ).toBe(true);
  }
};

const contact = Object.freeze({ agency: "police", name: "Police desk", phone: "01632 960001" });
const withheld = Object.freeze({
  code: "UNAUTHORIZED_FIELD_OR_TYPE",
  rule: "default-deny",
  reason: 'The "police" say: ask them.\nLine two — é ✓',
  owner: "police",
  contact,
});
const locations = Object.freeze([Object.freeze({ line: 2, column: 18 })]);

afterEach(() => vi.restoreAllMocks());

describe("stringifyResult writes exactly what JSON.stringify writes", () => {
  test("answers without errors, and odd shapes, as JSON.stringify", () => {
    same({ data: { a: 1 } });
    same({ errors: [], data: null });
    same({ data: null, extensions: { x: [1, null] } });
    same(Object.assign(Object.create({ inherited: 1 }), { errors: [{ message: "m" }] }));
  });

  test("withheld errors sharing the judge's frozen objects", () => {
    const errors = Array.from({ length: 60 }, (_, i) => ({
      message: withheld.reason,
      locations,
      path: ["subjects", i, i % 2 ? "police" : "address", "incidents"],
      extensions: withheld,
    }));
    same({ errors, data: { subjects: errors.map(() => ({ id: "S-1", police: null })) } });
  });

  test("every kind of value JSON.stringify treats specially", () => {
    const lone = "\ud800 and \udfff";
    const errors: unknown[] = [
      { message: lone, path: ["a", -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, null] },
      { message: "m", path: ["x", { toJSON: (key: string) => `at ${key}` }] },
      { message: "m", extensions: { when: new Date(0), code: "X" } },
      { message: "m", extensions: { toJSON: (key: string) => ({ key }) } },
      { message: "m", extensions: { toJSON: () => undefined } },
      { message: "m", skipped: undefined, f: () => 1, s: Symbol("s"), n: null, b: true, x: 2 },
      { message: "m", path: ["no", "escape\u0000", '"quoted"', "\\"] },
      { 2: "integer keys first", message: "m", 1: "one" },
      null,
      undefined,
      () => 1,
      new (class Located {
        message = "an instance";
        path = ["p"];
      })(),
      Object.freeze({ message: "frozen error", extensions: withheld }),
      { message: "m", extensions: Object.freeze([1, Object.freeze({ a: [2] })]) },
    ];
    same({ errors, data: { d: new Date(0) }, extensions: { t: 1 } });
    same({ errors, data: undefined });
    same({ data: { a: 1 }, errors });
    same({ errors, data: { toJSON: (key: string) => key } });
    // A toJSON on an error or on the answer itself, own or inherited, enumerable or not.
    const hidden = (o: object) =>
      Object.defineProperty(o, "toJSON", { value: () => ({ replaced: true }), enumerable: false });
    same({ errors: [{ message: "m", toJSON: () => ({ x: 1 }) }] });
    same({ errors: [hidden({ message: "m" })] });
    same(hidden({ errors: [{ message: "m" }], data: null }));
    same({ errors: [Object.create({ toJSON: () => "inherited" })] });
    // A toJSON is handed its index, as JSON.stringify hands it; one that gives nothing is null.
    const keyed = { message: "m", toJSON: (key: string) => ({ at: key }) };
    same({ errors: [{ message: "first" }, keyed, keyed, { toJSON: () => undefined }] });
  });

  test("errors made of kept parts and a path, in any order and mixed with others", () => {
    const other = Object.freeze({ ...withheld, owner: "health" });
    const elsewhere = Object.freeze([Object.freeze({ line: 9, column: 1 })]);
    const errors: unknown[] = [];
    for (let i = 0; i < 40; i++) {
      const extensions = i % 3 ? withheld : other;
      const at = i % 4 ? locations : elsewhere;
      const path = ["subjects", i, "é ✓", i % 5];
      errors.push(
        i % 7 === 0
          ? { path, message: withheld.reason, extensions, locations: at }
          : i % 11 === 0
            ? { message: `${i}`, path, extensions: { ...extensions } }
            : { message: i % 2 ? withheld.reason : "other", locations: at, path, extensions },
      );
    }
    errors.push({ message: "m", locations, extensions: withheld });
    errors.push({ message: "m", path: Object.freeze(["x"]), extensions: withheld });
    errors.push({ message: "m", path: ["y"], extensions: withheld, n: 1 });
    errors.push({ message: "m", path: ["z"], extensions: withheld, gone: undefined });
    errors.push({
      message: "m",
      path: Object.assign(["t"], { toJSON: () => "p" }),
      extensions: withheld,
    });
    same({ errors, data: { subjects: [{ id: "S-1", name: "Zoë" }] } });
  });

  test("an error's template is not reused for other values", () => {
    const messages = ["one", "two"];
    for (const message of messages)
      same({ errors: [{ message, locations, path: ["a"], extensions: withheld }], data: null });
    const moved = Object.freeze([Object.freeze({ line: 3, column: 4 })]);
    same({ errors: [{ message: "one", locations: moved, path: ["a"], extensions: withheld }] });
    same({ errors: [{ message: "one", path: ["a"], locations, extensions: withheld }] });
    // More places for one object than are kept for it: the oldest goes, all stay right.
    for (let line = 0; line < 40; line++) {
      const at = Object.freeze([Object.freeze({ line, column: 1 })]);
      same({ errors: [{ message: "m", locations: at, path: [line], extensions: withheld }] });
    }
  });

  test("a toJSON on a function or a BigInt, handed its key", () => {
    const fn = Object.assign(() => 1, { toJSON: (key: string) => `fn at ${key}` });
    same({ errors: [{ message: "m", fn }, fn], data: { fn } });
    const bigint = BigInt.prototype as unknown as { toJSON?: (key: string) => string };
    bigint.toJSON = function (this: bigint, key: string) {
      return `${this} at ${key}`;
    };
    try {
      same({ errors: [{ message: "m", n: 1n, path: ["a"], extensions: withheld }, 2n], data: 3n });
    } finally {
      delete bigint.toJSON;
    }
  });

  test("a frozen object holding a function is never kept: a toJSON could be given it later", () => {
    const later: { (): number; toJSON?: () => string } = () => 1;
    const extensions = Object.freeze({ code: "X", later });
    const result = { errors: [{ message: "m", path: ["a"], extensions }] };
    same(result);
    later.toJSON = () => "written now";
    same(result);
    expect(stringifyResult(result as FormattedExecutionResult)).toContain("written now");
  });

  test("each member of an error is read once, as JSON.stringify reads it", () => {
    let reads = 0;
    const error = { message: "m", path: ["a"] } as Record<string, unknown>;
    Object.defineProperty(error, "extensions", {
      enumerable: true,
      get: () => {
        reads++;
        return withheld;
      },
    });
    resultBytes({ errors: [error] } as unknown as FormattedExecutionResult);
    expect(reads).toBe(1);
  });

  test("an object that is not frozen all the way down is written afresh each time", () => {
    const inner = { phone: "1" };
    const shallow = Object.freeze({ code: "X", inner });
    const getter = Object.freeze(
      Object.defineProperty({ code: "X" }, "live", { get: () => inner.phone, enumerable: true }),
    );
    const result = {
      errors: [
        { message: "m", extensions: shallow },
        { message: "m", extensions: getter },
      ],
    };
    same(result);
    inner.phone = "2";
    same(result);
    expect(stringifyResult(result as FormattedExecutionResult)).toContain('"phone":"2"');
    expect(stringifyResult(result as FormattedExecutionResult)).toContain('"live":"2"');
  });

  test("random answers", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const strings = ["", "a", 'q"uote', "back\\slash", "new\nline", "ü", "\u2028", "\ud83d\ude00"];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return strings[Math.floor(random() * strings.length)];
      if (r < 0.4) return Math.floor(random() * 100) - 50;
      if (r < 0.45) return random() < 0.5 ? null : undefined;
      if (r < 0.7) {
        const list = Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
        return random() < 0.5 ? Object.freeze(list) : list;
      }
      const object: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(random() * 4); i++)
        object[strings[Math.floor(random() * strings.length)] as string] = value(depth + 1);
      return random() < 0.5 ? Object.freeze(object) : object;
    };
    for (let n = 0; n < 300; n++) {
      const errors = Array.from({ length: Math.floor(random() * 5) }, () => ({
        message: value(3),
        ...(random() < 0.5 ? { locations } : {}),
        path: Array.from({ length: 3 }, () => (random() < 0.5 ? Math.floor(random() * 9) : "f")),
        extensions: value(0),
      }));
      same({ errors, data: value(0) });
    }
  });
});

describe("what repeats is written once", () => {
  test("a frozen object's JSON is computed once however many errors carry it", () => {
    const stringify = vi.spyOn(JSON, "stringify");
    const own = Object.freeze({ ...withheld, rule: "r-once" });
    const errors = Array.from({ length: 50 }, (_, i) => ({
      message: "m",
      path: ["s", i],
      extensions: own,
    }));
    stringifyResult({ errors, data: null } as FormattedExecutionResult);
    stringifyResult({ errors, data: null } as FormattedExecutionResult);
    expect(stringify.mock.calls.filter(([v]) => v === own)).toHaveLength(1);
    expect(sharedJson(own)).toBe(JSON.stringify(own));
  });

  test("an unfrozen object is not kept", () => {
    expect(sharedJson({ a: 1 })).toBeUndefined();
    expect(sharedJson(Object.freeze({ a: { b: 1 } }))).toBeUndefined();
    expect(sharedJson(Object.freeze({ a: Object.freeze({ b: 1 }) }))).toBe('{"a":{"b":1}}');
  });
});

describe("formatError hands the judge's own extensions on", () => {
  const original = { message: "m", extensions: withheld };
  const enriched = () => ({ message: "m", path: ["a"], extensions: { ...withheld } });

  test("a copy equal key for key is replaced by the frozen original", () => {
    const shown = formatError(enriched(), original);
    expect(shown.extensions).toBe(withheld);
  });

  test("a copy that differs keeps its own", () => {
    const cases: [object, unknown][] = [
      // A code the original lacks, added at the end.
      [{ rule: "r", code: withheld.code }, { extensions: Object.freeze({ rule: "r" }) }],
      [
        { owner: "police", code: withheld.code },
        { extensions: Object.freeze({ code: withheld.code, owner: "health" }) },
      ],
      [
        { owner: "police", code: withheld.code },
        { extensions: Object.freeze({ code: withheld.code, owner: "police" }) },
      ],
      [{ ...withheld }, { extensions: { ...withheld } }],
      [{ ...withheld }, undefined],
    ];
    for (const [copy, original] of cases) {
      const shown = formatError({ message: "m", path: ["a"], extensions: copy as never }, original);
      expect(shown.extensions).toBe(copy);
    }
  });
});
