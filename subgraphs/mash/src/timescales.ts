import { toDateTime } from "@mash/kit";
import { type WorkingCalendar, workingWindows } from "./calendar/calendar.ts";
import type { Rag } from "./rag-levels.ts";

/** When something started at `from` under a RAG rating is due. */
export interface Timescales {
  due(from: Date, rag: Rag): Date;
}

export interface TimescalesConfig {
  /** Hours each rating allows. */
  ragHours: Record<Rag, number>;
  /** Ratings that run through the night: clock hours, 24/7, whatever the calendar says. */
  continuous: readonly Rag[];
  /** The hub's working days and hours; every other rating counts only these. */
  calendar: WorkingCalendar;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A year with no working moment means a calendar that cannot end; better to say so than spin. */
const MAX_IDLE_DAYS = 366;

/**
 * Timescales counted in the calendar's working hours. A start outside working hours counts from
 * the next working moment; a count that ends exactly at close of day is due at close, not at the
 * next opening.
 */
export function workingTimescales(config: TimescalesConfig): Timescales {
  const windowOf = workingWindows(config.calendar);
  const continuous = new Set(config.continuous);
  return {
    due(from, rag) {
      const start = from.getTime();
      if (!Number.isFinite(start)) throw new RangeError("a due time needs a valid start time");
      const ms = config.ragHours[rag] * HOUR_MS;
      if (continuous.has(rag)) return new Date(start + ms);
      return new Date(addWorkingTime(windowOf, start, ms));
    },
  };
}

function addWorkingTime(
  windowOf: ReturnType<typeof workingWindows>,
  start: number,
  ms: number,
): number {
  let t = start;
  let left = ms;
  // The local date of `start` is its UTC date or a neighbour (no zone is a day off UTC), and a
  // window that ended before `start` is skipped, so starting a day early is always safe.
  let day = Math.floor(start / DAY_MS) - 1;
  let idle = 0;
  for (;;) {
    const window = windowOf(day);
    day += 1;
    if (window === null || window[1] <= t) {
      if (++idle > MAX_IDLE_DAYS) throw new Error("the working calendar has no working hours");
      continue;
    }
    idle = 0;
    const from = Math.max(t, window[0]);
    const available = window[1] - from;
    if (left <= available) return from + left;
    left -= available;
    t = window[1];
  }
}

/** The due time as the store keeps it. */
export function dueAt(timescales: Timescales, from: Date | string, rag: Rag): string {
  return toDateTime(timescales.due(typeof from === "string" ? new Date(from) : from, rag));
}
