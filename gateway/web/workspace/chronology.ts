import type { WorkspacePersonQuery } from "./generated/operations.ts";

export type Person = NonNullable<WorkspacePersonQuery["subject"]>;

/** One dated thing an agency (or the hub) holds about a person. */
export interface ChronologyItem {
  /** Unique within one chronology, stable across renders. */
  readonly key: string;
  /** ISO 8601 date or date-time, as the agency recorded it. */
  readonly at: string;
  /** The agency that holds it; the hub's contacts and steps are `mash`. */
  readonly agency: string;
  /** What kind of record, in words: "Police incident: DOMESTIC_ABUSE". */
  readonly what: string;
  /** Its text, where the agreement releases it; null when withheld or empty. */
  readonly detail: string | null;
}

const words = (value: string | null | undefined) =>
  value ? value.toLowerCase().replaceAll("_", " ") : undefined;
const titled = (label: string, kind: string | null | undefined) =>
  kind ? `${label}: ${words(kind)}` : label;

type Draft = Omit<ChronologyItem, "at"> & { at: string | null | undefined };

/**
 * Every dated item of one person's answer in one list, newest first. It reads only what the
 * query returned, so an item the rules concealed is absent and a withheld date leaves its item
 * out (it cannot be placed): enforcement applies unchanged. Ties keep agency, then key, order.
 */
export function mergeChronology(person: Person): ChronologyItem[] {
  const drafts: Draft[] = [
    ...(person.police?.incidents ?? []).map((i) => ({
      key: `police:${i.id}`,
      at: i.occurredAt,
      agency: "police",
      what: titled("Police incident", i.category),
      detail: i.summary,
    })),
    ...(person.health?.unscheduledCare ?? []).map((c) => ({
      key: `health:${c.id}`,
      at: c.attendedAt,
      agency: "health",
      what: titled("Unscheduled care", c.setting),
      detail: c.reason,
    })),
    ...(person.education?.exclusions ?? []).map((e) => ({
      key: `education:${e.id}`,
      at: e.date,
      agency: "education",
      what: titled("Exclusion", e.kind),
      detail: e.reason,
    })),
    ...(person.socialCare?.caseNotes ?? []).map((n) => ({
      key: `childrens-services:${n.id}`,
      at: n.recordedAt,
      agency: "childrens-services",
      what: "Case note",
      detail: n.text,
    })),
    ...(person.adultSocialCare?.safeguardingEnquiries ?? []).map((s) => ({
      key: `adult-social-care:${s.id}`,
      at: s.openedAt,
      agency: "adult-social-care",
      what: titled("Safeguarding enquiry", s.status),
      detail: s.concern,
    })),
    ...(person.probation?.offences ?? []).map((o) => ({
      key: `probation:${o.id}`,
      at: o.date,
      agency: "probation",
      what: titled("Offence", o.category),
      detail: null,
    })),
    ...(person.contacts ?? []).map((c) => ({
      key: `mash:contact:${c.id}`,
      at: c.receivedAt,
      agency: "mash",
      what: "Contact received",
      detail: c.concern,
    })),
    ...(person.enquiries ?? []).flatMap((enquiry) =>
      (enquiry.timeline ?? []).map((step, index) => ({
        key: `mash:${enquiry.id}:${index}`,
        at: step.at,
        agency: "mash",
        what: `${enquiry.id}: ${words(step.step)}${step.agency ? ` (${step.agency})` : ""}`,
        detail: step.summary,
      })),
    ),
  ];
  return drafts
    .filter((item): item is ChronologyItem => typeof item.at === "string" && item.at !== "")
    .sort(
      (a, b) =>
        Date.parse(b.at) - Date.parse(a.at) ||
        a.agency.localeCompare(b.agency) ||
        a.key.localeCompare(b.key),
    );
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
