import type { WorkspacePersonQuery } from "./generated/operations.ts";

export type Person = NonNullable<WorkspacePersonQuery["subject"]>;
type Entry = NonNullable<Person["chronology"]>[number];

/** One dated thing an agency (or the hub) holds about a person, in words. */
export interface ChronologyItem {
  /** Unique within one chronology, stable across renders. */
  readonly key: string;
  /** ISO 8601 date or date-time, as the agency recorded it. */
  readonly at: string;
  /** The agency that holds it; the hub's contacts and steps are `mash`. */
  readonly agency: string;
  /** What kind of record, in words: "Police incident: domestic abuse". */
  readonly what: string;
  /** Its text, where the agreement releases it; null when withheld or empty. */
  readonly detail: string | null;
}

const words = (value: string | null | undefined) =>
  value ? value.toLowerCase().replaceAll("_", " ") : undefined;
const titled = (label: string, kind: string | null | undefined) =>
  kind ? `${label}: ${words(kind)}` : label;

/** What an entry's item is, in words, and its text. */
function described(item: Entry["item"]): Pick<ChronologyItem, "what" | "detail"> {
  switch (item.__typename) {
    case "PoliceIncident":
      return { what: titled("Police incident", item.category), detail: item.summary };
    case "UnscheduledCareAttendance":
      return { what: titled("Unscheduled care", item.setting), detail: item.reason };
    case "Exclusion":
      return { what: titled("Exclusion", item.kind), detail: item.reason };
    case "CaseNote":
      return { what: "Case note", detail: item.text };
    case "SafeguardingEnquiry":
      return { what: titled("Safeguarding enquiry", item.status), detail: item.concern };
    case "Offence":
      return { what: titled("Offence", item.offenceCategory), detail: null };
    case "Contact":
      return { what: "Contact received", detail: item.concern };
    case "ProcessStep":
      return {
        what: `MASH step: ${words(item.step) ?? "recorded"}${item.stepAgency ? ` (${item.stepAgency})` : ""}`,
        detail: item.stepSummary,
      };
  }
}

/**
 * The graph's chronology (`Subject.chronology`) in words, in the graph's order (newest first).
 * The gateway builds it from the agencies' own fields under the same rules, so an item the
 * rules conceal, or whose date is withheld, is not in it: nothing here decides what to show.
 */
export function chronologyOf(person: Person): ChronologyItem[] {
  return (person.chronology ?? []).map((entry, index) => ({
    key: `${entry.agency}:${"id" in entry.item && entry.item.id ? entry.item.id : `#${index}`}`,
    at: entry.at,
    agency: entry.agency,
    ...described(entry.item),
  }));
}

/** The agencies a chronology holds items from, in a fixed order for the filter. */
export const agenciesIn = (items: readonly ChronologyItem[]): string[] =>
  [...new Set(items.map((item) => item.agency))].sort();

/** Only the items of the chosen agencies; every item when none is chosen. */
export function filterChronology(
  items: readonly ChronologyItem[],
  agencies: ReadonlySet<string>,
): ChronologyItem[] {
  return agencies.size === 0 ? [...items] : items.filter((item) => agencies.has(item.agency));
}
