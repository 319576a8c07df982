import { describe, expect, it } from "vitest";
import { auditEntry, createAuditCollector } from "./collect.ts";

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
