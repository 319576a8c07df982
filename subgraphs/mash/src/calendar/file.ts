import { readFileSync } from "node:fs";
import { ConfigError } from "@mash/kit";
import { parse } from "yaml";
import type { Rag } from "../rag-levels.ts";
import {
  dayNumber,
  defaultCalendar,
  WEEKDAYS,
  type Weekday,
  type WorkingCalendar,
} from "./calendar.ts";
import { isTimeZone } from "./zone.ts";

export const TIMESCALES_FILE = "MASH_TIMESCALES_FILE";

/** What a timescales file says; anything it leaves out keeps its default. */
export interface TimescalesFile {
  ragHours: Partial<Record<Rag, number>>;
  continuous?: Rag[];
  calendar: WorkingCalendar;
}

// Kept here rather than imported from settings.ts, which imports this module.
const RATINGS: readonly Rag[] = ["RED", "AMBER", "GREEN"];
const TOP_KEYS = ["ragHours", "continuous", "calendar"];
const CALENDAR_KEYS = ["timeZone", "workingDays", "hours", "bankHolidays"];

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v));
const orList = (names: readonly string[]) =>
  `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;

/** Reads `MASH_TIMESCALES_FILE` (JSON or YAML), refusing anything it cannot take at its word. */
export function readTimescalesFile(path: string): TimescalesFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(TIMESCALES_FILE, `cannot read "${path}" (${why})`);
  }
  return parseTimescales(text, path);
}

/** `source` names the file in messages, so an operator knows where to look. */
export function parseTimescales(text: string, source: string): TimescalesFile {
  const fail = (key: string | null, problem: string): never => {
    throw new ConfigError(TIMESCALES_FILE, `${source}: ${key ? `${key}: ` : ""}${problem}`);
  };
  let doc: unknown;
  try {
    // YAML is a superset of JSON, and unlike JSON.parse it refuses a key given twice.
    doc = parse(text);
  } catch (err) {
    fail(null, `is not valid JSON or YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const expected = `a mapping of ${orList(TOP_KEYS)}`;
  if (doc === null || doc === undefined) return fail(null, `is empty; expected ${expected}`);
  if (!isMapping(doc)) {
    return fail(null, `expected ${expected}, not a ${Array.isArray(doc) ? "list" : typeof doc}`);
  }
  unknownKeys(doc, TOP_KEYS, "", fail);
  const file: TimescalesFile = { ragHours: {}, calendar: { ...defaultCalendar } };
  if (doc.ragHours !== undefined) file.ragHours = readRagHours(doc.ragHours, fail);
  if (doc.continuous !== undefined) file.continuous = readContinuous(doc.continuous, fail);
  if (doc.calendar !== undefined) file.calendar = readCalendar(doc.calendar, fail);
  return file;
}

type Fail = (key: string | null, problem: string) => never;

function unknownKeys(m: Mapping, known: readonly string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(m)) {
    if (!known.includes(key)) fail(`${prefix}${key}`, `unknown key (expected ${orList(known)})`);
  }
}

function rating(v: unknown, key: string, fail: Fail): Rag {
  const r = typeof v === "string" ? v.trim().toUpperCase() : "";
  if (!RATINGS.includes(r as Rag))
    fail(key, `${show(v)} is not a rating (expected ${orList(RATINGS)})`);
  return r as Rag;
}

function readRagHours(v: unknown, fail: Fail): Partial<Record<Rag, number>> {
  if (!isMapping(v))
    return fail("ragHours", "expected a mapping such as {RED: 4, AMBER: 24, GREEN: 72}");
  const hours: Partial<Record<Rag, number>> = {};
  for (const [key, n] of Object.entries(v)) {
    const rag = rating(key, `ragHours.${key}`, fail);
    if (hours[rag] !== undefined) fail(`ragHours.${key}`, `${rag} is given twice`);
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) {
      fail(`ragHours.${key}`, `${show(n)} is not a positive number of hours`);
    }
    hours[rag] = n as number;
  }
  return hours;
}

function readContinuous(v: unknown, fail: Fail): Rag[] {
  if (!Array.isArray(v)) return fail("continuous", "expected a list of ratings such as [RED]");
  const rags: Rag[] = [];
  v.forEach((item, i) => {
    const rag = rating(item, `continuous[${i}]`, fail);
    if (rags.includes(rag)) fail(`continuous[${i}]`, `${rag} is listed twice`);
    rags.push(rag);
  });
  return rags;
}

function readCalendar(v: unknown, fail: Fail): WorkingCalendar {
  if (!isMapping(v)) return fail("calendar", `expected a mapping of ${orList(CALENDAR_KEYS)}`);
  unknownKeys(v, CALENDAR_KEYS, "calendar.", fail);
  const calendar: WorkingCalendar = { ...defaultCalendar };
  if (v.timeZone !== undefined) {
    if (typeof v.timeZone !== "string" || !isTimeZone(v.timeZone)) {
      fail(
        "calendar.timeZone",
        `${show(v.timeZone)} is not a time zone (an IANA name such as "Europe/London")`,
      );
    }
    calendar.timeZone = v.timeZone as string;
  }
  if (v.workingDays !== undefined) calendar.workingDays = readDays(v.workingDays, fail);
  if (v.hours !== undefined) Object.assign(calendar, readHours(v.hours, fail));
  if (v.bankHolidays !== undefined) calendar.bankHolidays = readDates(v.bankHolidays, fail);
  return calendar;
}

function readDays(v: unknown, fail: Fail): Weekday[] {
  const key = "calendar.workingDays";
  if (!Array.isArray(v))
    return fail(key, "expected a list of days such as [MON, TUE, WED, THU, FRI]");
  if (v.length === 0) fail(key, "no working days; list at least one");
  const days: Weekday[] = [];
  v.forEach((item, i) => {
    const day = (typeof item === "string" ? item.trim().toUpperCase() : "") as Weekday;
    if (!WEEKDAYS.includes(day)) {
      fail(`${key}[${i}]`, `${show(item)} is not a day (expected ${orList(WEEKDAYS)})`);
    }
    if (days.includes(day)) fail(`${key}[${i}]`, `${day} is listed twice`);
    days.push(day);
  });
  return days;
}

function readHours(v: unknown, fail: Fail): { start: number; end: number } {
  const key = "calendar.hours";
  const m =
    typeof v === "string" ? /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(v) : null;
  if (!m) return fail(key, `${show(v)} is not a span of hours such as "09:00-17:00"`);
  const [sh, sm, eh, em] = m.slice(1).map(Number) as [number, number, number, number];
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  if (sh > 23 || sm > 59 || eh > 24 || em > 59 || end > 24 * 60) {
    fail(key, `${show(v)} is not a time of day (00:00 to 24:00)`);
  }
  if (end <= start) {
    fail(
      key,
      `${show(v)} ends before it starts (hours run within one day; "00:00-24:00" is all day)`,
    );
  }
  return { start, end };
}

function readDates(v: unknown, fail: Fail): string[] {
  const key = "calendar.bankHolidays";
  if (!Array.isArray(v)) return fail(key, `expected a list of dates such as ["2026-12-25"]`);
  return v.map((item, i) => {
    if (typeof item !== "string" || Number.isNaN(dayNumber(item))) {
      fail(`${key}[${i}]`, `${show(item)} is not a date (YYYY-MM-DD)`);
    }
    return item as string;
  });
}
