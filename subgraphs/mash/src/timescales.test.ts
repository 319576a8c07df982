import { describe, expect, it } from "vitest";
import {
  dayNumber,
  defaultCalendar,
  englandAndWalesBankHolidays,
  type WorkingCalendar,
} from "./calendar/calendar.ts";
import { offsetAt, wallToInstant } from "./calendar/zone.ts";
import type { Rag } from "./settings.ts";
import { dueAt, type TimescalesConfig, workingTimescales } from "./timescales.ts";

const standard: TimescalesConfig = {
  ragHours: { RED: 4, AMBER: 24, GREEN: 72 },
  continuous: ["RED"],
  calendar: defaultCalendar,
};
const due = (from: string, rag: Rag, config: TimescalesConfig = standard) =>
  dueAt(workingTimescales(config), from, rag);

describe("working-hours timescales on the default calendar (Mon–Fri 09:00–17:00, London)", () => {
  it("AMBER from Friday 16:00 GMT: 1h Fri + 8h Mon + 8h Tue + 7h Wed = due Wednesday 16:00", () => {
    expect(due("2026-11-20T16:00:00Z", "AMBER")).toBe("2026-11-25T16:00:00Z");
  });

  it("AMBER from Friday 16:00 BST is due Wednesday 16:00 BST (15:00 UTC)", () => {
    expect(due("2026-06-12T15:00:00Z", "AMBER")).toBe("2026-06-17T15:00:00Z");
  });

  it("AMBER from Thursday 24 Dec 2026 10:00: 7h Thu, Fri 25 and Mon 28 are holidays, 8h Tue, 8h Wed, 1h Thu 31 = 10:00", () => {
    expect(due("2026-12-24T10:00:00Z", "AMBER")).toBe("2026-12-31T10:00:00Z");
  });

  it("GREEN from Thursday 24 Dec 2026 10:00 skips Christmas and New Year's Day: 7 + 8×8 + 1 = Monday 11 Jan 10:00", () => {
    // Tue 29, Wed 30, Thu 31, (Fri 1 Jan holiday), Mon 4 .. Fri 8 = 8 full days, then 1h on Mon 11.
    expect(due("2026-12-24T10:00:00Z", "GREEN")).toBe("2027-01-11T10:00:00Z");
  });

  it("a start on Saturday counts from Monday 09:00: AMBER is three full days, due Wednesday 17:00", () => {
    expect(due("2026-11-21T11:00:00Z", "AMBER")).toBe("2026-11-25T17:00:00Z");
  });

  it("a start at night counts from the next morning: Tuesday 22:00 + 24h = Friday 17:00", () => {
    expect(due("2026-11-24T22:00:00Z", "AMBER")).toBe("2026-11-27T17:00:00Z");
    expect(due("2026-11-24T06:30:00Z", "AMBER")).toBe("2026-11-26T17:00:00Z");
  });

  it("a start exactly at Friday's close counts from Monday's opening", () => {
    const eight = { ...standard, ragHours: { ...standard.ragHours, AMBER: 8 } };
    expect(due("2026-11-20T17:00:00Z", "AMBER", eight)).toBe("2026-11-23T17:00:00Z");
    expect(due("2026-11-23T09:00:00Z", "AMBER", eight)).toBe("2026-11-23T17:00:00Z");
  });

  it("counts fractions of an hour: GREEN 0.5h from 16:45 runs 15 minutes into the next day", () => {
    const half = { ...standard, ragHours: { ...standard.ragHours, GREEN: 0.5 } };
    expect(due("2026-11-24T16:45:00Z", "GREEN", half)).toBe("2026-11-25T09:15:00Z");
  });

  it("BST to GMT (Sun 25 Oct 2026): Friday 16:00 BST + 24h is Wednesday 16:00 GMT, 5 days and 1 clock hour later", () => {
    expect(due("2026-10-23T15:00:00Z", "AMBER")).toBe("2026-10-28T16:00:00Z");
  });

  it("GMT to BST (Sun 29 Mar 2026): Friday 16:00 GMT + 24h is Wednesday 16:00 BST (15:00 UTC)", () => {
    expect(due("2026-03-27T16:00:00Z", "AMBER")).toBe("2026-04-01T15:00:00Z");
  });

  it("GMT to BST on Easter 2027: Thu 25 Mar 16:00 GMT, Good Friday and Easter Monday off, due Thu 1 Apr 16:00 BST", () => {
    expect(due("2027-03-25T16:00:00Z", "AMBER")).toBe("2027-04-01T15:00:00Z");
  });

  it("RED runs through the night: Friday 22:00 + 4h = Saturday 02:00", () => {
    expect(due("2026-11-20T22:00:00Z", "RED")).toBe("2026-11-21T02:00:00Z");
  });

  it("RED counts elapsed hours through the autumn change: Sat 23:00 BST + 4h = Sun 02:00 GMT", () => {
    expect(due("2026-10-24T22:00:00Z", "RED")).toBe("2026-10-25T02:00:00Z");
  });

  it("which ratings run through the night is configuration", () => {
    const noneContinuous = { ...standard, continuous: [] };
    // RED on working hours: Friday 22:00 counts from Monday 09:00, so due Monday 13:00.
    expect(due("2026-11-20T22:00:00Z", "RED", noneContinuous)).toBe("2026-11-23T13:00:00Z");
    const amberToo = { ...standard, continuous: ["RED", "AMBER"] as Rag[] };
    expect(due("2026-11-20T22:00:00Z", "AMBER", amberToo)).toBe("2026-11-21T22:00:00Z");
  });

  it("a 24/7 calendar counts the 25-hour day of the autumn change as 25 hours", () => {
    const allDay: WorkingCalendar = {
      ...defaultCalendar,
      workingDays: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
      start: 0,
      end: 24 * 60,
      bankHolidays: [],
    };
    const config = { ...standard, calendar: allDay };
    // Sat 24 Oct 00:00 BST + 72 elapsed hours = Mon 26 Oct 23:00 GMT (the clocks went back once).
    expect(due("2026-10-23T23:00:00Z", "GREEN", config)).toBe("2026-10-26T23:00:00Z");
  });

  it("refuses a start that is not a time rather than looping", () => {
    expect(() => workingTimescales(standard).due(new Date("not a date"), "AMBER")).toThrow(
      /valid start/,
    );
  });

  it("stays cheap: 20,000 GREEN due times over two years in well under a second and a half", () => {
    const timescales = workingTimescales(standard);
    const begin = Date.UTC(2025, 0, 1);
    const t0 = performance.now();
    let last = 0;
    for (let i = 0; i < 20_000; i++) {
      last = timescales.due(new Date(begin + i * 3_137_000), "GREEN").getTime();
    }
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(last).toBeGreaterThan(begin + 19_999 * 3_137_000);
  });
});

describe("the default calendar", () => {
  it("lists the eight England and Wales bank holidays a year for 2025–2027, each on a weekday", () => {
    for (const year of ["2025", "2026", "2027"]) {
      expect(englandAndWalesBankHolidays.filter((d) => d.startsWith(year))).toHaveLength(8);
    }
    for (const date of englandAndWalesBankHolidays) {
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      expect([date, weekday >= 1 && weekday <= 5]).toEqual([date, true]);
    }
  });

  it("reads dates strictly", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber("2026-02-30")).toBeNaN();
    expect(dayNumber("2026-2-3")).toBeNaN();
  });
});

describe("wall-clock time in a zone", () => {
  const london = (wall: string) =>
    new Date(wallToInstant("Europe/London", Date.parse(`${wall}Z`))).toISOString();

  it("knows the London offset either side of the changes", () => {
    expect(offsetAt("Europe/London", Date.parse("2026-07-01T12:00:00Z"))).toBe(3_600_000);
    expect(offsetAt("Europe/London", Date.parse("2026-12-01T12:00:00Z"))).toBe(0);
    expect(offsetAt("America/New_York", Date.parse("2026-12-01T12:00:00Z"))).toBe(-5 * 3_600_000);
  });

  it("reads a wall time the clocks show twice as its first showing (BST)", () => {
    expect(london("2026-10-25T01:30:00")).toBe("2026-10-25T00:30:00.000Z");
  });

  it("reads a wall time the clocks skip as the same distance past the jump", () => {
    // 01:30 does not exist on 29 Mar 2026; 01:30 GMT is 02:30 BST.
    expect(london("2026-03-29T01:30:00")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("reads ordinary wall times in GMT and BST", () => {
    expect(london("2026-03-28T09:00:00")).toBe("2026-03-28T09:00:00.000Z");
    expect(london("2026-03-30T09:00:00")).toBe("2026-03-30T08:00:00.000Z");
  });
});
