/**
 * Wall-clock time in a named time zone, from the runtime's own tz database (Intl), so a hub's
 * calendar follows BST/GMT and any other zone's rules without a dependency or a table to maintain.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      // h23: some runtimes otherwise print midnight as hour 24.
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows `timeZone` (an IANA name such as "Europe/London"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant` (BST: 3,600,000). */
export function offsetAt(timeZone: string, instant: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour, p.minute, p.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant at which the zone's clocks show `wall` (a wall-clock time written as if it were
 * UTC milliseconds). A time the clocks show twice (autumn) is its first showing; a time they skip
 * (spring) is read with the offset before the change, i.e. as far past the jump as it was into it.
 */
export function wallToInstant(timeZone: string, wall: number): number {
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after];
  candidates.sort((a, b) => a - b);
  for (const instant of candidates) {
    if (offsetAt(timeZone, instant) === wall - instant) return instant;
  }
  return wall - before;
}
