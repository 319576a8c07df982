import { badUserInput, toDateTime } from "@mash/kit";
import type { Transaction } from "kysely";
import type { MashDB } from "./store.ts";

/** A client whose clock runs a little ahead may send a receivedAt just past the hub's now. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Before any MASH existed: an earlier date is a typing mistake, not a contact. */
export const EARLIEST_CONTACT = "1990-01-01T00:00:00Z";

/**
 * A list of ids, trimmed: refused (naming `field`) when longer than `max` or naming one twice.
 * Whether each exists is checked beside the rows, in the transaction that writes.
 */
export function requireIdList(
  ids: readonly string[] | null | undefined,
  field: string,
  max: number,
  what: string,
): string[] {
  const trimmed = (ids ?? []).map((id) => id.trim());
  if (trimmed.length > max) {
    throw badUserInput(`${field} has ${trimmed.length} ${what}; at most ${max}.`, field);
  }
  const duplicates = trimmed.filter((id, i) => trimmed.indexOf(id) !== i);
  if (duplicates.length) {
    throw badUserInput(
      `${field} names ${[...new Set(duplicates)].join(", ")} more than once.`,
      field,
    );
  }
  return trimmed;
}

/** Refuses (naming `field`) unless every subject id is one the hub holds. */
export async function requireKnownSubjects(
  trx: Transaction<MashDB>,
  ids: readonly string[],
  field: string,
): Promise<void> {
  if (ids.length === 0) return;
  const known = await trx.selectFrom("subjects").where("id", "in", ids).select("id").execute();
  const found = new Set(known.map((k) => k.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    throw badUserInput(
      `Unknown subject ${missing.length > 1 ? "ids" : "id"}: ${missing.join(", ")}.`,
      field,
    );
  }
}

/**
 * When a contact came in, as the store keeps it: `now` when not given. Refused when it is later
 * than now by more than a little clock skew, or before 1990. One within the skew is read as now:
 * a contact cannot have come in after it was recorded, and repeat counts compare these times.
 */
export function requireReceivedAt(value: string | null | undefined, now: Date): string {
  if (value === null || value === undefined) return toDateTime(now);
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    throw badUserInput(
      `input.receivedAt must be a date and time such as 2026-11-20T09:15:00Z.`,
      "input.receivedAt",
    );
  }
  if (at > now.getTime() + CLOCK_SKEW_MS) {
    throw badUserInput(
      `input.receivedAt (${toDateTime(at)}) is in the future: a contact is recorded once it has come in.`,
      "input.receivedAt",
    );
  }
  if (at < Date.parse(EARLIEST_CONTACT)) {
    throw badUserInput(
      `input.receivedAt (${toDateTime(at)}) is before ${EARLIEST_CONTACT.slice(0, 10)}: check the date.`,
      "input.receivedAt",
    );
  }
  return toDateTime(Math.min(at, now.getTime()));
}

/** Free text the user must give, trimmed and bounded. */
export function requireText(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw badUserInput(`${field} is empty.`, field);
  return boundText(trimmed, field, max);
}

/** Free text the user may give, trimmed and bounded; blank reads as not given. */
export function optionalText(value: string | null | undefined, field: string, max: number) {
  const trimmed = value?.trim();
  return trimmed ? boundText(trimmed, field, max) : null;
}

function boundText(trimmed: string, field: string, max: number): string {
  if (trimmed.length > max) throw badUserInput(`${field} is longer than ${max} characters.`, field);
  return trimmed;
}

/**
 * The same instant a year earlier, by the calendar, on the store's text form of a date and time:
 * the year decremented, the rest kept. SQL does the same to a column (`yearBeforeSql` in
 * contacts-loaders.ts), so a repeat count's window is identical whichever side computes it.
 * 29 February maps to a 29 February that may not exist; as text it still sorts between the 28th
 * and 1 March.
 */
export function yearBefore(dateTime: string): string {
  return `${Number(dateTime.slice(0, 4)) - 1}${dateTime.slice(4)}`;
}
