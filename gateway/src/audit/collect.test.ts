import { describe, expect, it } from "vitest";
import { canonicalCopy } from "./canonical-before.test-support.ts";
import { auditEntry, createAuditCollector } from "./collect.ts";
import { auditEntryBefore } from "./collect-before.test-support.ts";
import { canonicalJson } from "./record.ts";

const owners: Record<string, string> = {
  "Subject.name": "mash",
  "Police.known": "police",
  "Police.incidents": "police",
  "Health.known": "health",
  "Query.subjects": "mash",
};
const ownerOf = (type: string, field: string) => ({ agency: owners[`${type}.${field}`] ?? "?" });

/** One answer's releases, in the order a filter meets them: people interleaved, values of each kind. */
const released: [string, string, string | undefined, unknown][] = [
  ["Query", "subjects", undefined, [{}, {}]],
  ["Subject", "name", "S-1", { given: "A" }],
  ["Police", "known", "S-1", false],
  ["Police", "incidents", "S-1", []],
  ["Health", "known", "S-1", true],
  ["Subject", "name", "S-2", null],
  ["Police", "known", "S-2", true],
  ["Police", "incidents", "S-1", [{ id: "I-1" }]],
  ["Health", "known", "S-2", ""],
  ["Health", "known", "S-1", "yes"],
  ["Police", "known", "S-3", 0],
];

const recordOf = (collector: ReturnType<typeof createAuditCollector>) =>
  auditEntry({
    context: { requestId: "r", principal: undefined as never, enquiryId: undefined } as never,
    answered: {
      operationName: null,
      queryText: "q",
      collected: collector,
      hasErrors: true,
      hasData: true,
      withheldByAgency: new Map(),
    },
    now: new Date(0),
  });

describe("the access log's collector", () => {
  it("records fields, the people each agency's data was about, and those it said something about", () => {
    const collector = createAuditCollector(ownerOf);
    for (const [type, field, scope, value] of released)
      collector.onReleased(type, field, scope, value);
    collector.onWithheld("Police", "incidents", { extensions: { rule: "r1" } });
    collector.onWithheld("Police", "incidents", { extensions: { rule: "r0" } });
    collector.onFlagged?.("S-2");
    const record = recordOf(collector);
    expect(record.released).toEqual([
      { field: "Health.known", agency: "health" },
      { field: "Police.incidents", agency: "police" },
      { field: "Police.known", agency: "police" },
      { field: "Query.subjects", agency: "mash" },
      { field: "Subject.name", agency: "mash" },
    ]);
    expect(record.subjects).toEqual(["S-1", "S-2", "S-3"]);
    // mash released a field about no one (the list itself): it saw nobody through it.
    expect(record.seen).toEqual([
      { agency: "health", subjects: ["S-1", "S-2"] },
      { agency: "mash", subjects: ["S-1", "S-2"] },
      { agency: "police", subjects: ["S-1", "S-2", "S-3"] },
    ]);
    // Not a null, false, "", an empty list or an object (its own fields speak for it); 0 does.
    expect(record.held).toEqual([
      { agency: "health", subjects: ["S-1"] },
      { agency: "police", subjects: ["S-2", "S-3"] },
    ]);
    expect(record.withheld).toEqual([
      { field: "Police.incidents", rule: "r0", agency: "police" },
      { field: "Police.incidents", rule: "r1", agency: "police" },
    ]);
    expect(record.flagged).toEqual(["S-2"]);
  });

  it("records the same through the compiled pass's slots", () => {
    const byName = createAuditCollector(ownerOf);
    const bySlot = createAuditCollector(ownerOf);
    const slots = new Map<string, { key: string; agency: string }>();
    for (const [type, field, scope, value] of released) {
      byName.onReleased(type, field, scope, value);
      const key = `${type}.${field}`;
      let slot = slots.get(key);
      if (!slot) {
        slot = { key, agency: ownerOf(type, field).agency };
        slots.set(key, slot);
      }
      bySlot.releasedAt(slot, scope, value);
    }
    byName.onWithheld("Health", "known", { extensions: { rule: "r" } });
    bySlot.withheldAt({ key: "Health.known", agency: "health" }, "r");
    expect(recordOf(bySlot)).toEqual(recordOf(byName));
  });
});

/** A small deterministic generator, for collectors with the keys whose orders disagree. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[]) => items.filter(() => next() < 0.4);
  return { next, pick, some };
}

// Code units and localeCompare order these differently: case, "_" and "." against letters,
// digits, accents.
const fields = [
  ["Subject.police", "Subject_x.a", "SubjectX.a", "subject.a", "Ab.x", "aa.x", "A_b.c", "AB.c"],
  ["Police.known", "Police.Known", "É.x", "e.x", "Type1.f", "Type10.f", "Type2.f", "Z.z"],
].flat();
const agencies = ["police", "health", "adult-social-care", "adultsocial", "Police", "a_b", "aB"];
const people = ["S-1001", "S-999", "s-1", "S-1001a", "é", "S_2", "S-1002"];

function randomCollector(seed: number) {
  const { next, pick, some } = generator(seed);
  const subjects = new Set(some(people));
  const bySubjects = () =>
    new Map(
      some(agencies).map((a) => {
        const own = some([...subjects]);
        // Rarely someone the request's subjects lack: a collector made elsewhere.
        if (next() < 0.1) own.push(pick(people));
        return [a, new Set(own)] as const;
      }),
    );
  // Often every field, in one of a few orders: lists of keys met again, as a query asked again.
  const rotated = [...fields.slice(seed % 3), ...fields.slice(0, seed % 3)];
  return {
    released: new Map(
      (next() < 0.5 ? rotated : some(fields)).map((f) => [f, pick(agencies)] as const),
    ),
    withheld: new Map(
      some(fields).map((f) => [f, { agency: pick(agencies), rules: new Set(some(["r2", "r1"])) }]),
    ),
    subjects,
    seen: bySubjects(),
    held: bySubjects(),
    flagged: new Set(next() < 0.2 ? [pick(people)] : some([...subjects])),
  };
}

describe("the record of an answered request", () => {
  it("is, byte for byte, the record auditEntry made before its sorts and hashes were cut", () => {
    const texts = ["query A { a }", "query B { b }", "x".repeat(20_000)];
    for (let seed = 1; seed <= 2000; seed++) {
      const { next, pick } = generator(seed);
      const options = {
        context: {
          requestId: `r-${seed}`,
          principal: { id: "u", agency: pick(agencies), roles: ["b", "a", "B"] },
          enquiryId: next() < 0.5 ? "ENQ-1" : undefined,
          breakGlassReason: next() < 0.2 ? 'Risk "now" \u2028' : undefined,
        } as never,
        answered: {
          operationName: next() < 0.5 ? null : "Op",
          // Repeated texts, as clients send them, and one too long to be kept.
          queryText: next() < 0.8 ? pick(texts) : `query Q${seed} { q }`,
          collected: next() < 0.05 ? undefined : randomCollector(seed),
          hasErrors: next() < 0.5,
          hasData: next() < 0.8,
          withheldByAgency: new Map(),
        },
        now: new Date(seed * 1000),
      };
      const before = auditEntryBefore(options);
      const now = auditEntry(options);
      expect(now).toEqual(before);
      expect(canonicalJson({ ...now, seq: seed })).toBe(canonicalCopy({ ...before, seq: seed }));
    }
  });

  it("sorts a list of keys joined like one met before as itself", () => {
    // Joined with newlines, these are the same text; only the second has a key with a newline.
    const apart = [..."abcdefghij"].map((c) => `Z.${c}`);
    const together = [...apart.slice(0, 8), `${apart[8]}\n${apart[9]}`];
    for (const keys of [apart, together, apart, together]) {
      const collector = randomCollector(1);
      collector.released = new Map(keys.map((k) => [k, "mash"]));
      expect(recordOf(collector as never).released.map((r) => r.field)).toEqual(
        [...keys].sort((a, b) => a.localeCompare(b)),
      );
    }
  });

  it("keeps localeCompare's order of fields where code units order them otherwise", () => {
    const collector = randomCollector(1);
    collector.released = new Map(fields.map((f) => [f, "mash"]));
    const record = recordOf(collector as never);
    expect(record.released.map((r) => r.field)).toEqual(
      [...fields].sort((a, b) => a.localeCompare(b)),
    );
    expect(record.released.map((r) => r.field)).not.toEqual([...fields].sort());
  });
});

describe("a released list met again", () => {
  const many = Array.from({ length: 12 }, (_, i) => `Police.f${String(i).padStart(2, "0")}`);
  const collectorFor = (owner: string) => {
    const collector = createAuditCollector(() => ({ agency: owner }));
    // Met in an order other than the sorted one, as a filter meets them.
    for (const coordinate of [...many].reverse()) {
      const [type, field] = coordinate.split(".") as [string, string];
      collector.onReleased(type, field, "S-1", true);
    }
    return collector;
  };

  it("is the list made before, settled, while every field has the same owner", () => {
    const first = recordOf(collectorFor("police")).released;
    const second = recordOf(collectorFor("police")).released;
    expect(second).toEqual(many.map((field) => ({ agency: "police", field })));
    expect(second).toBe(first);
    expect(Object.isFrozen(second) && Object.isFrozen(second[0])).toBe(true);
    const record = recordOf(collectorFor("police"));
    expect(canonicalJson(record)).toBe(canonicalCopy(record));
  });

  it("is made anew when a field's owner changed (a policy reload)", () => {
    const before = recordOf(collectorFor("police")).released;
    const after = recordOf(collectorFor("health")).released;
    expect(after).not.toBe(before);
    expect(after.every((r) => r.agency === "health")).toBe(true);
    const record = recordOf(collectorFor("health"));
    expect(canonicalJson(record)).toBe(canonicalCopy(record));
  });
});
