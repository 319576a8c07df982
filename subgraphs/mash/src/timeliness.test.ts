import { describe, expect, it } from "vitest";
import {
  decisionTimeliness,
  type EnquiryTiming,
  researchEnd,
  researchTimeliness,
  researchWithinTimescale,
} from "./timeliness.ts";

const due = "2026-11-26T13:00:00Z";
const before = "2026-11-26T12:59:59Z";
const after = "2026-11-26T13:00:01Z";
const at = (iso: string) => new Date(iso);
const open: EnquiryTiming = { status: "OPEN", dueBy: "2026-11-27T09:00:00Z", closedAt: null };
const closedAt = (closed: string): EnquiryTiming => ({
  ...open,
  status: "CLOSED",
  closedAt: closed,
});
const request = (answeredAt: string | null = null, releasedAt: string | null = null) => ({
  dueBy: due,
  answeredAt,
  releasedAt,
});

describe("research timeliness", () => {
  it("is overdue only while owed and past dueBy, breached from the second after", () => {
    expect(researchTimeliness(request(), open, at(before))).toEqual({
      overdue: false,
      breachedAt: null,
    });
    // At dueBy exactly it is still in time.
    expect(researchTimeliness(request(), open, at(due))).toEqual({
      overdue: false,
      breachedAt: null,
    });
    expect(researchTimeliness(request(), open, at(after))).toEqual({
      overdue: true,
      breachedAt: due,
    });
  });

  it("judges an answer by when it came, whatever the time now", () => {
    const late = "2026-12-01T00:00:00Z";
    expect(researchTimeliness(request(due), open, at(late))).toEqual({
      overdue: false,
      breachedAt: null,
    });
    expect(researchTimeliness(request(after), open, at(late))).toEqual({
      overdue: false,
      breachedAt: due,
    });
    // Answered in time, then released late: the answer is what counts.
    expect(researchTimeliness(request(before, after), open, at(late)).breachedAt).toBeNull();
    expect(researchWithinTimescale(request(due))).toBe(true);
    expect(researchWithinTimescale(request(after))).toBe(false);
    expect(researchWithinTimescale(request())).toBe(false);
    expect(researchWithinTimescale(request(null, before))).toBe(false);
  });

  it("ends an unanswered request at its release or the close, whichever came first", () => {
    const late = at("2026-12-01T00:00:00Z");
    expect(researchTimeliness(request(null, due), open, late)).toEqual({
      overdue: false,
      breachedAt: null,
    });
    expect(researchTimeliness(request(null, after), open, late)).toEqual({
      overdue: false,
      breachedAt: due,
    });
    expect(researchTimeliness(request(), closedAt(due), late)).toEqual({
      overdue: false,
      breachedAt: null,
    });
    expect(researchTimeliness(request(), closedAt(after), late)).toEqual({
      overdue: false,
      breachedAt: due,
    });
    // Released in time, the enquiry closed late: it was no longer owed when it closed.
    expect(researchEnd(request(null, before), closedAt(after))).toBe(before);
    expect(researchTimeliness(request(null, before), closedAt(after), late).breachedAt).toBeNull();
    expect(researchEnd(request(null, after), closedAt(before))).toBe(before);
    // Closed with no time on record: counted as in time, never as still owed.
    expect(researchTimeliness(request(), { ...open, status: "CLOSED" }, late)).toEqual({
      overdue: false,
      breachedAt: null,
    });
    expect(researchEnd(request(), open)).toBeNull();
  });

  it("compares times, not text, for a caller's own ISO form", () => {
    const withMillis = {
      dueBy: "2026-11-26T13:00:00.000Z",
      answeredAt: "2026-11-26T13:00:00Z",
      releasedAt: null,
    };
    expect(researchWithinTimescale(withMillis)).toBe(true);
    expect(
      researchTimeliness(
        { ...withMillis, answeredAt: "2026-11-26T14:00:00+01:00" },
        open,
        at(after),
      ).breachedAt,
    ).toBeNull();
  });
});

describe("decision timeliness", () => {
  const enquiry = { status: "OPEN", dueBy: due, closedAt: null };
  it("is overdue while open past dueBy", () => {
    expect(decisionTimeliness(enquiry, at(before))).toEqual({ overdue: false, breachedAt: null });
    expect(decisionTimeliness(enquiry, at(due))).toEqual({ overdue: false, breachedAt: null });
    expect(decisionTimeliness(enquiry, at(after))).toEqual({ overdue: true, breachedAt: due });
  });

  it("judges a closed enquiry by when it closed", () => {
    const late = at("2026-12-01T00:00:00Z");
    const closed = (closedAt: string | null) => ({ status: "CLOSED", dueBy: due, closedAt });
    expect(decisionTimeliness(closed(due), late)).toEqual({ overdue: false, breachedAt: null });
    expect(decisionTimeliness(closed(after), late)).toEqual({ overdue: false, breachedAt: due });
    expect(decisionTimeliness(closed(after), at(before))).toEqual({
      overdue: false,
      breachedAt: due,
    });
    expect(decisionTimeliness(closed(null), late)).toEqual({ overdue: false, breachedAt: null });
  });
});
