import { wallToInstant } from "./zone.ts";

export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When a hub works: the days and hours its staff count towards a timescale, in its time zone. */
export interface WorkingCalendar {
  /** IANA time zone the hours and dates are read in. */
  timeZone: string;
  workingDays: readonly Weekday[];
  /** Minutes after local midnight the working day starts and ends (1440 = midnight after). */
  start: number;
  end: number;
  /** Local dates, YYYY-MM-DD, that are not worked even when they fall on a working day. */
  bankHolidays: readonly string[];
}

/** England and Wales (gov.uk/bank-holidays), including the substitute days for weekends. */
export const englandAndWalesBankHolidays: readonly string[] = [
  "2025-01-01",
  "2025-04-18",
  "2025-04-21",
  "2025-05-05",
  "2025-05-26",
  "2025-08-25",
  "2025-12-25",
  "2025-12-26",
  "2026-01-01",
  "2026-04-03",
  "2026-04-06",
  "2026-05-04",
  "2026-05-25",
  "2026-08-31",
  "2026-12-25",
  "2026-12-28",
  "2027-01-01",
  "2027-03-26",
  "2027-03-29",
  "2027-05-03",
  "2027-05-31",
  "2027-08-30",
  "2027-12-27",
  "2027-12-28",
];

export const defaultCalendar: WorkingCalendar = {
  timeZone: "Europe/London",
  workingDays: ["MON", "TUE", "WED", "THU", "FRI"],
  start: 9 * 60,
  end: 17 * 60,
  bankHolidays: englandAndWalesBankHolidays,
};

const DAY_MS = 86_400_000;
/** Enough for any real span; a bound so a long-running hub's cache cannot grow without end. */
const MAX_CACHED_DAYS = 8192;

/** A working day's hours as instants (ms since the epoch), end exclusive. */
export type Window = readonly [start: number, end: number];

/** Days since 1970-01-01 of a YYYY-MM-DD date; NaN when it is not a real date. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) {
    return Number.NaN;
  }
  return utc.getTime() / DAY_MS;
}

/**
 * The working window of each local date (as a day number), or null for a day off. Windows are
 * worked out once per date and cached: a due time then costs a map lookup per day it spans.
 */
export function workingWindows(calendar: WorkingCalendar): (day: number) => Window | null {
  if (calendar.workingDays.length === 0) throw new Error("a working calendar needs a working day");
  const days = new Set(calendar.workingDays.map((d) => WEEKDAYS.indexOf(d)));
  const holidays = new Set(calendar.bankHolidays.map(dayNumber));
  const cache = new Map<number, Window | null>();
  return (day) => {
    const hit = cache.get(day);
    if (hit !== undefined) return hit;
    let window: Window | null = null;
    if (days.has(new Date(day * DAY_MS).getUTCDay()) && !holidays.has(day)) {
      const start = wallToInstant(calendar.timeZone, day * DAY_MS + calendar.start * 60_000);
      const end = wallToInstant(calendar.timeZone, day * DAY_MS + calendar.end * 60_000);
      // Hours wholly inside a skipped clock hour come out empty: nothing to work that day.
      if (end > start) window = [start, end];
    }
    if (cache.size >= MAX_CACHED_DAYS) cache.clear();
    cache.set(day, window);
    return window;
  };
}
