import { describe, expect, it } from "vitest";
import { buildInbox, type InboxEnquiry } from "./inbox-order.ts";

function enquiry(
  id: string,
  rag: string,
  dueBy: string,
  overdue: boolean,
  research: InboxEnquiry["research"] = [],
): InboxEnquiry {
  return {
    id,
    status: "OPEN",
    takesPart: true,
    lead: "childrens-services",
    rag: rag as InboxEnquiry["rag"],
    reason: `reason ${id}`,
    openedAt: "2026-11-20T09:00:00Z",
    dueBy,
    overdue,
    escalated: false,
    subjects: [],
    research,
  };
}

const request = (agency: string, dueBy: string, overdue: boolean, answered = false) => ({
  agency,
  askedAt: "2026-11-20T09:00:00Z",
  dueBy,
  overdue,
  releasedAt: null,
  answer: answered ? { answeredAt: "2026-11-21T09:00:00Z" } : null,
});

describe("the inbox order", () => {
  it("puts overdue first, then RED, AMBER, GREEN, then the soonest due", () => {
    const list = [
      enquiry("E-GREEN-LATE", "GREEN", "2026-12-01T10:00:00Z", true),
      enquiry("E-RED-SOON", "RED", "2026-12-02T10:00:00Z", false),
      enquiry("E-AMBER", "AMBER", "2026-12-02T09:00:00Z", false),
      enquiry("E-RED-LATER", "RED", "2026-12-03T10:00:00Z", false),
      enquiry("E-RED-LATE", "RED", "2026-11-30T10:00:00Z", true),
    ];
    expect(buildInbox(list, "childrens-services").enquiries.map((i) => i.enquiry.id)).toEqual([
      "E-RED-LATE",
      "E-GREEN-LATE",
      "E-RED-SOON",
      "E-RED-LATER",
      "E-AMBER",
    ]);
  });

  it("lists my agency's unanswered requests apart, by their own deadline", () => {
    const list = [
      enquiry("E-1", "GREEN", "2026-12-09T00:00:00Z", false, [
        request("police", "2026-12-01T08:00:00Z", true),
      ]),
      enquiry("E-2", "RED", "2026-12-02T00:00:00Z", false, [
        request("police", "2026-12-01T20:00:00Z", false),
      ]),
      enquiry("E-3", "RED", "2026-12-02T00:00:00Z", false, [
        request("police", "2026-12-01T20:00:00Z", false, true),
        request("health", "2026-12-01T20:00:00Z", false),
      ]),
    ];
    const inbox = buildInbox(list, "police");
    expect(inbox.requests.map((i) => [i.enquiry.id, i.overdue])).toEqual([
      ["E-1", true],
      ["E-2", false],
    ]);
    // Answered: no longer waiting, still an enquiry police take part in.
    expect(inbox.enquiries.map((i) => i.enquiry.id)).toEqual(["E-3"]);
    // Sorted, each keeps its place in the graph's list, where its errors' paths point.
    expect([...inbox.requests, ...inbox.enquiries].map((i) => i.position)).toEqual([0, 1, 2]);
  });
});
