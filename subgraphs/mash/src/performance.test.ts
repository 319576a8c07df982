import { openStore, type Store } from "@mash/kit";
import { signTestContext, storeBackends, tempStores, useRunningSubgraph } from "@mash/kit/testing";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mash } from "./index.ts";
import { migrations } from "./migrations.ts";
import { explainReport, mashPerformance } from "./performance.ts";
import type { MashDB } from "./store.ts";

type EnquiryRow = MashDB["enquiries"];
type ResearchRow = MashDB["research_requests"];

let number = 5000;
function enquiry(id: string, row: Partial<EnquiryRow> & Pick<EnquiryRow, "rag" | "opened_at">) {
  return {
    id,
    number: number++,
    status: row.closed_at ? "CLOSED" : "OPEN",
    due_by: "2099-01-01T00:00:00Z",
    reason: "Synthetic performance row",
    outcome: null,
    closed_at: null,
    close_reason: row.closed_at ? "Synthetic decision" : null,
    lead: "childrens-services",
    opened_by: "sw.test",
    without_contact: 0,
    decided_by: row.closed_at ? "mgr.test" : null,
    feedback_at: null,
    feedback_how: null,
    feedback_by: null,
    ...row,
  } satisfies EnquiryRow;
}

function request(
  enquiry_id: string,
  agency: string,
  row: Pick<ResearchRow, "asked_at" | "due_by"> & Partial<ResearchRow>,
): ResearchRow {
  return {
    enquiry_id,
    agency,
    asked_by: "sw.test",
    released_at: null,
    released_by: null,
    release_reason: null,
    answered_at: null,
    answered_by: row.answered_at ? `${agency}.test` : null,
    finding: null,
    nothing_known: row.answered_at ? 1 : null,
    decision_seq: null,
    ...row,
  };
}

let contactNumber = 1;
const contact = (received_at: string): MashDB["contacts"] => ({
  id: `C-${contactNumber}`,
  number: contactNumber++,
  received_at,
  recorded_at: received_at,
  recorded_by: "sw.test",
  referrer_kind: "PUBLIC",
  referrer_agency: null,
  referrer_name: "A neighbour",
  referrer_role: null,
  referrer_how: null,
  concern: "Synthetic concern",
  consent_sought: 0,
  consent_reason: "Synthetic",
  screening_outcome: null,
  screening_reason: null,
  screened_agency: null,
  screened_by: null,
  screened_at: null,
  enquiry_id: null,
});

const MARCH = { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" };

/** A known set around March 2026: each row says whether, and how, the March report counts it. */
const enquiries = [
  // Opened on the period's first second (in), decided in 3 h, in time.
  enquiry("E1", {
    rag: "RED",
    opened_at: "2026-03-01T00:00:00Z",
    without_contact: 1,
    due_by: "2026-03-01T04:00:00Z",
    closed_at: "2026-03-01T03:00:00Z",
    outcome: "EARLY_HELP",
  }),
  // Decided in 5.5 h, late.
  enquiry("E2", {
    rag: "RED",
    opened_at: "2026-03-02T09:00:00Z",
    due_by: "2026-03-02T13:00:00Z",
    closed_at: "2026-03-02T14:30:00Z",
    outcome: "STRATEGY_DISCUSSION",
  }),
  enquiry("E3", { rag: "GREEN", opened_at: "2026-03-03T10:00:00Z", without_contact: 1 }),
  // Opened on the period's last second (in).
  enquiry("E4", { rag: "GREEN", opened_at: "2026-03-31T23:59:59Z" }),
  // Decided in 24 h, exactly at its due time: in time.
  enquiry("E9", {
    rag: "GREEN",
    opened_at: "2026-03-05T00:00:00Z",
    due_by: "2026-03-06T00:00:00Z",
    closed_at: "2026-03-06T00:00:00Z",
    outcome: "EARLY_HELP",
  }),
  // Opened and decided on `to` itself: outside, the period is half-open.
  enquiry("E5", {
    rag: "AMBER",
    opened_at: "2026-04-01T00:00:00Z",
    closed_at: "2026-04-01T00:00:00Z",
    outcome: "NO_FURTHER_ACTION",
  }),
  // Opened before, decided in March after 432 h, late, by another lead.
  enquiry("E6", {
    rag: "AMBER",
    opened_at: "2026-02-20T00:00:00Z",
    due_by: "2026-02-21T00:00:00Z",
    closed_at: "2026-03-10T00:00:00Z",
    lead: "adult-social-care",
    outcome: "SECTION_42_ENQUIRY",
  }),
  // Decided a second before the period: outside.
  enquiry("E7", {
    rag: "GREEN",
    opened_at: "2026-02-25T00:00:00Z",
    closed_at: "2026-02-28T23:59:59Z",
    outcome: "NO_FURTHER_ACTION",
  }),
  // Written before leads and outcomes were kept; decided in March after 2148 h, late.
  enquiry("E8", {
    rag: "GREEN",
    opened_at: "2026-01-01T00:00:00Z",
    due_by: "2026-01-04T00:00:00Z",
    closed_at: "2026-03-31T12:00:00Z",
    lead: null,
  }),
];

const requests = [
  // Asked on the first second; answered exactly at its due time: within.
  request("E1", "police", {
    asked_at: "2026-03-01T00:00:00Z",
    due_by: "2026-03-01T04:00:00Z",
    answered_at: "2026-03-01T04:00:00Z",
  }),
  // A second late.
  request("E1", "health", {
    asked_at: "2026-03-01T00:10:00Z",
    due_by: "2026-03-01T04:10:00Z",
    answered_at: "2026-03-01T04:10:01Z",
  }),
  // Never answered; released unanswered: both asked, neither within.
  request("E2", "police", { asked_at: "2026-03-02T09:00:00Z", due_by: "2026-03-02T13:00:00Z" }),
  request("E2", "health", {
    asked_at: "2026-03-02T09:00:00Z",
    due_by: "2026-03-02T13:00:00Z",
    released_at: "2026-03-02T10:00:00Z",
    released_by: "sw.test",
    release_reason: "Not known to health",
  }),
  request("E3", "police", {
    asked_at: "2026-03-03T10:00:00Z",
    due_by: "2026-03-06T10:00:00Z",
    answered_at: "2026-03-04T10:00:00Z",
  }),
  // No due time on record: answered, but not counted within.
  request("E3", "education", {
    asked_at: "2026-03-03T10:00:00Z",
    due_by: null,
    answered_at: "2026-03-03T11:00:00Z",
  }),
  // Asked on `to` itself, and asked before the period: outside.
  request("E4", "health", { asked_at: "2026-04-01T00:00:00Z", due_by: "2026-04-04T00:00:00Z" }),
  request("E6", "police", {
    asked_at: "2026-02-20T01:00:00Z",
    due_by: "2026-02-21T01:00:00Z",
    answered_at: "2026-02-20T02:00:00Z",
  }),
];

const contacts = [
  "2026-02-28T23:59:59Z",
  "2026-03-01T00:00:00Z",
  "2026-03-15T12:00:00Z",
  "2026-03-31T23:59:59Z",
  "2026-04-01T00:00:00Z",
].map(contact);

const outcomes = (counts: Record<string, number>) =>
  [
    "NO_FURTHER_ACTION",
    "INFORMATION_AND_ADVICE",
    "EARLY_HELP",
    "SINGLE_AGENCY_RESPONSE",
    "SECTION_17_ASSESSMENT",
    "STRATEGY_DISCUSSION",
    "SECTION_47_ENQUIRY",
    "SECTION_42_ENQUIRY",
    "REFERRED_TO_OTHER_SERVICE",
  ].map((outcome) => ({ outcome, count: counts[outcome] ?? 0 }));

const timely = (agency: string, rag: string, total: number, withinTimescale: number) => ({
  agency,
  rag,
  total,
  withinTimescale,
  share: withinTimescale / total,
});

async function refusal(promise: Promise<unknown>): Promise<GraphQLError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
  return error as GraphQLError;
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash performance report on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    /** The report, and how many SQL statements it took (the store's log counts each). */
    const report = async (from: string, to: string) => {
      const before = store.stats.statements;
      const result = await mashPerformance(store, { from, to });
      return { result, statements: store.stats.statements - before };
    };

    beforeAll(async () => {
      store = await openStore<MashDB>({
        agency: "mash",
        config: temp.configFor("mash"),
        migrations,
      });
      await store.db.insertInto("enquiries").values(enquiries).execute();
      await store.db.insertInto("research_requests").values(requests).execute();
      await store.db.insertInto("contacts").values(contacts).execute();
    });
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    it("counts every figure for a month, edges half-open, in one statement", async () => {
      const { result, statements } = await report(MARCH.from, MARCH.to);
      expect(statements).toBe(1);
      expect(result).toEqual({
        ...MARCH,
        contacts: 3,
        enquiriesOpened: 5,
        openedWithoutContact: 2,
        enquiriesByRag: [
          { rag: "RED", count: 2 },
          { rag: "AMBER", count: 0 },
          { rag: "GREEN", count: 3 },
        ],
        research: [
          timely("education", "GREEN", 1, 0),
          timely("health", "RED", 2, 0),
          timely("police", "RED", 2, 1),
          timely("police", "GREEN", 1, 1),
        ],
        decisions: [
          timely("(not recorded)", "GREEN", 1, 0),
          timely("adult-social-care", "AMBER", 1, 0),
          timely("childrens-services", "RED", 2, 1),
          timely("childrens-services", "GREEN", 1, 1),
        ],
        // 3, 5.5, 24, 432, 2148 hours: the middle of five.
        medianHoursToDecision: 24,
        outcomes: outcomes({ EARLY_HELP: 2, STRATEGY_DISCUSSION: 1, SECTION_42_ENQUIRY: 1 }),
      });
    });

    it("takes the median of an even count as the mean of the middle two", async () => {
      // E1, E2, E9, E6: 3, 5.5, 24, 432 hours.
      const { result } = await report("2026-03-01T00:00:00Z", "2026-03-11T00:00:00Z");
      expect(result.decisions.reduce((n, d) => n + d.total, 0)).toBe(4);
      expect(result.medianHoursToDecision).toBe(14.75);
      const two = await report("2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z");
      expect(two.result.medianHoursToDecision).toBe(4.25);
    });

    it("answers a period with nothing in it with zeros, every RAG and no median", async () => {
      const { result, statements } = await report("2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
      expect(statements).toBe(1);
      expect(result).toEqual({
        from: "2030-01-01T00:00:00Z",
        to: "2030-02-01T00:00:00Z",
        contacts: 0,
        enquiriesOpened: 0,
        openedWithoutContact: 0,
        enquiriesByRag: [
          { rag: "RED", count: 0 },
          { rag: "AMBER", count: 0 },
          { rag: "GREEN", count: 0 },
        ],
        research: [],
        decisions: [],
        medianHoursToDecision: null,
        outcomes: outcomes({}),
      });
    });

    it("takes any ISO form of from and to, and five years in one statement", async () => {
      const { result, statements } = await report(
        "2026-02-28T19:00:00-05:00",
        "2031-02-28T19:00:00-05:00",
      );
      expect(statements).toBe(1);
      expect(result.from).toBe("2026-03-01T00:00:00Z");
      expect(result.to).toBe("2031-03-01T00:00:00Z");
      expect(result.contacts).toBe(4);
      expect(result.enquiriesOpened).toBe(6);
    });

    it("reads each part of the period through its index", async () => {
      const plan = (await explainReport(store, MARCH.from, MARCH.to)).join("\n");
      // PostgreSQL may rightly scan tables this small; SQLite's planner, unanalysed, shows intent.
      if (backend === "sqlite") {
        for (const index of [
          "contacts_received",
          "enquiries_opened",
          "enquiries_closed",
          "research_requests_asked",
        ]) {
          expect(plan).toMatch(new RegExp(`INDEX ${index} \\(\\w+>\\? AND \\w+<\\?\\)`));
        }
        expect(plan).not.toMatch(/SCAN (contacts|enquiries|research_requests|r|e)\b/);
      } else {
        expect(plan).toMatch(/^Append/);
      }
    });

    it.each([
      ["to equal to from", MARCH.from, MARCH.from, "to"],
      ["to before from", MARCH.to, MARCH.from, "to"],
      ["more than five years", "2026-03-01T00:00:00Z", "2031-03-01T00:00:01Z", "to"],
      ["from not a time", "yesterday", MARCH.to, "from"],
      ["to past the year 9999", MARCH.from, "9999-12-31T23:00:00-05:00", "to"],
    ])("refuses %s, naming the argument, with no statement run", async (_, from, to, field) => {
      const before = store.stats.statements;
      const error = await refusal(mashPerformance(store, { from, to }));
      expect(error.extensions.field).toBe(field);
      expect(store.stats.statements).toBe(before);
    });
  });

  describe.skipIf(unavailable)(`Query.mashPerformance on ${backend}`, () => {
    const { subgraph } = useRunningSubgraph(mash, backend, 50);
    const post = async (query: string) => {
      const body = JSON.stringify({ query });
      const response = await fetch(subgraph().url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mash-context": await signTestContext("mash", { sub: "mgr.okafor" }, body),
        },
        body,
      });
      return (await response.json()) as {
        data?: { mashPerformance: Record<string, unknown> } | null;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
    };
    const fields = `from to contacts enquiriesOpened openedWithoutContact enquiriesByRag { rag count }
      research { agency rag total withinTimescale share } decisions { agency rag total withinTimescale share }
      medianHoursToDecision outcomes { outcome count }`;

    it("answers as the store does, for the golden enquiries' month", async () => {
      const body = await post(
        `{ mashPerformance(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { ${fields} } }`,
      );
      expect(body.errors).toBeUndefined();
      const direct = await mashPerformance(subgraph().store as Store<MashDB>, {
        from: "2026-11-01T00:00:00Z",
        to: "2026-12-01T00:00:00Z",
      });
      expect(body.data?.mashPerformance).toEqual(direct);
      // ENQ-2001 (RED), ENQ-2002 (AMBER) and ENQ-2003 (GREEN) opened that month.
      expect(direct.enquiriesByRag.every((r) => r.count >= 1)).toBe(true);
    });

    it("refuses a bad period with BAD_USER_INPUT naming the argument", async () => {
      const body = await post(
        `{ mashPerformance(from: "2026-12-01T00:00:00Z", to: "2026-11-01T00:00:00Z") { contacts } }`,
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
    });
  });
}
