/** How long until (or since) a deadline, in words a practitioner reads at a glance. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45 min", "3 h", "2 d": minutes under an hour, hours under two days, days beyond. */
export function durationWords(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return `${Math.max(1, Math.round(abs / MINUTE))} min`;
  if (abs < 2 * DAY) return `${Math.floor(abs / HOUR)} h`;
  return `${Math.floor(abs / DAY)} d`;
}

export interface Deadline {
  /** ISO 8601; null or absent where the hub keeps no timescale. */
  dueBy?: string | null;
  /** The hub's own verdict: open, unanswered and past dueBy. */
  overdue?: boolean | null;
  /** When the work is done (answered, decided): then no time is left to count. */
  doneAt?: string | null;
}

/**
 * "overdue by 3 h", "due in 2 h", "answered", or "no due time". The hub's `overdue` decides
 * whether it is overdue (it knows whether the request was answered or released); the clock only
 * says by how much, so a request answered late is not shown overdue.
 */
export function timeLeftWords(deadline: Deadline, now: Date, done = "done"): string {
  if (deadline.doneAt) return done;
  if (!deadline.dueBy) return "no due time";
  const left = Date.parse(deadline.dueBy) - now.getTime();
  if (Number.isNaN(left)) return "no due time";
  if (deadline.overdue || (deadline.overdue == null && left < 0)) {
    return `overdue by ${durationWords(Math.min(left, 0) || -MINUTE)}`;
  }
  return left <= 0 ? "due now" : `due in ${durationWords(left)}`;
}
