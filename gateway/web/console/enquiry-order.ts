/** What the purpose picker needs of an enquiry to place it; every field but id may be withheld. */
export interface RankedEnquiry {
  readonly id: string;
  readonly rag?: string | null;
  /** When the decision is due (the hub's RAG timescale from openedAt, or the latest re-rating). */
  readonly dueBy?: string | null;
  readonly openedAt?: string | null;
}

/** Most urgent first, as the MASH process rates them; an unknown rating goes after GREEN. */
export const RAG_ORDER: readonly string[] = ["RED", "AMBER", "GREEN"];

function ragRank(rag: string | null | undefined): number {
  const index = rag ? RAG_ORDER.indexOf(rag) : -1;
  return index === -1 ? RAG_ORDER.length : index;
}

/** An ISO time as milliseconds; a missing or unreadable one sorts as `missing`. */
function time(value: string | null | undefined, missing: number): number {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? missing : ms;
}

/**
 * The order the purpose picker offers enquiries in, most urgent first:
 *
 * 1. by RAG rating: RED, then AMBER, then GREEN (a RED enquiry is a child or adult at risk now);
 * 2. within a rating, the decision due soonest first: the least time left to the RAG deadline
 *    (`dueBy`), so an overdue enquiry, whose deadline has passed, comes before one still in time;
 * 3. then the newest opened first, as the hub lists them;
 * 4. then by id, so the order never depends on the order the hub answered in.
 *
 * A missing deadline or opening time (withheld, or never recorded) sorts after every known one.
 * Returns a new array; the input is left as it was.
 */
export function orderByUrgency<T extends RankedEnquiry>(enquiries: readonly T[]): T[] {
  return [...enquiries].sort(
    (a, b) =>
      ragRank(a.rag) - ragRank(b.rag) ||
      time(a.dueBy, Number.POSITIVE_INFINITY) - time(b.dueBy, Number.POSITIVE_INFINITY) ||
      time(b.openedAt, Number.NEGATIVE_INFINITY) - time(a.openedAt, Number.NEGATIVE_INFINITY) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
