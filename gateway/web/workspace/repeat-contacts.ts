import type { WithheldField } from "@mash/client-kit";

/** What the graph said about one person's contacts in the last 12 months. */
export type RepeatCount =
  | { readonly kind: "count"; readonly contacts: number }
  | { readonly kind: "withheld"; readonly note: WithheldField }
  | { readonly kind: "unknown" };

/**
 * The count as the graph gave it, or why there is none. A null with a withheld error at its path
 * is withheld (the agreement gives the count to the front doors only); a null without one is not
 * known, never 0, since 0 is a value the practitioner would act on.
 */
export function repeatCountAt(
  value: number | null | undefined,
  path: string,
  notes: readonly WithheldField[],
): RepeatCount {
  if (typeof value === "number") return { kind: "count", contacts: value };
  const note = notes.find((n) => n.path === path);
  return note ? { kind: "withheld", note } : { kind: "unknown" };
}

/** The count in words; more than one is a repeat, the reason screening counts them. */
export function repeatWords(contacts: number): string {
  if (contacts === 0) return "no contacts in the last 12 months";
  if (contacts === 1) return "1 contact in the last 12 months";
  return `${contacts} contacts in the last 12 months (repeat contacts)`;
}

const shape = (path: string) =>
  path
    .split(".")
    .filter((segment) => !/^\d+$/.test(segment))
    .join(".");

/**
 * One note per withheld field and reason, not one per list item: a count withheld for every
 * person in the inbox reads once below it, beside the badge on each person.
 */
export function distinctNotes(notes: readonly WithheldField[]): WithheldField[] {
  const seen = new Set<string>();
  return notes.filter((note) => {
    const key = `${shape(note.path)}\n${note.owner}\n${note.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
