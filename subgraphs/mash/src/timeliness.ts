/**
 * When a research request or an enquiry's decision is overdue, and when its timescale was
 * breached: one definition, used by the GraphQL fields here and, in SQL, by the performance
 * report (`mashPerformance`), which must count exactly what these functions say.
 *
 * Times are the store's DateTime text (`toDateTime`: UTC, whole seconds, `Z`), so comparing
 * them as text orders them as times; in SQL `answered_at <= due_by` compares correctly.
 * Every comparison is against `dueBy` itself: something done AT dueBy is in time, a second
 * later is late. `now` is read once, when the field is resolved.
 *
 * Research request (one agency asked in one enquiry; `dueBy` is the row's `due_by`, or for rows
 * written before it was kept, `asked_at` plus the enquiry's RAG timescale):
 * - It stops being owed at its END: `answered_at` when answered; otherwise the earlier of
 *   `released_at` (the lead released it) and the enquiry's `closed_at` (decided without it);
 *   otherwise it has no end yet (still owed).
 * - overdue   = it has no end yet (unanswered, not released, enquiry open) AND now > dueBy.
 * - breachedAt = dueBy when (END, or now while it has no end) > dueBy; null otherwise. So it is
 *   dueBy for one answered late, for one released or overtaken by the close after dueBy without
 *   an answer, and for one still owed past dueBy; null for one answered, released or closed at
 *   or before dueBy, and for one still owed before dueBy.
 * - within timescale (the report's `withinTimescale`) = answered_at IS NOT NULL AND
 *   answered_at <= due_by. The report's `total` is every request asked in the period (released
 *   and unanswered ones included); only an answer in time counts as within.
 *   `answered_at` is the first answer: an amendment does not move it. A row with `due_by` NULL (only
 *   rows written before due times were kept; none are written now) has no due time SQL can
 *   count in working hours: the report leaves such rows out of total and within alike.
 *
 * A closed enquiry with no `closed_at` on record counts as closed in time (at dueBy), for its
 * decision and for its research.
 *
 * Enquiry decision (`dueBy` is the enquiry's `due_by`; it closes when the decision is recorded):
 * - overdue    = status OPEN AND now > dueBy.
 * - breachedAt = dueBy when (open AND now > dueBy) or (closed AND closed_at > dueBy); else null.
 * - within timescale = closed AND closed_at <= due_by.
 */

export interface Timeliness {
  overdue: boolean;
  /** dueBy when the timescale was breached; null while, or if, it was not. */
  breachedAt: string | null;
}

export interface ResearchTiming {
  dueBy: string;
  answeredAt: string | null;
  releasedAt: string | null;
}

export interface EnquiryTiming {
  status: string;
  dueBy: string;
  closedAt: string | null;
}

/** Later than `dueBy`, as times (not text, so a caller's own ISO form still compares). */
const after = (time: string | Date, dueBy: string) =>
  (typeof time === "string" ? Date.parse(time) : time.getTime()) > Date.parse(dueBy);

/** When a research request stopped being owed; null while it is still owed. */
export function researchEnd(request: ResearchTiming, enquiry: EnquiryTiming): string | null {
  if (request.answeredAt !== null) return request.answeredAt;
  const closed = enquiry.status !== "OPEN";
  // A close with no time on record counts as in time, as decisionTimeliness counts it.
  const closedAt = closed ? (enquiry.closedAt ?? request.dueBy) : null;
  const ends = [request.releasedAt, closedAt].filter((t): t is string => t !== null);
  if (ends.length === 0) return null;
  return ends.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

export function researchTimeliness(
  request: ResearchTiming,
  enquiry: EnquiryTiming,
  now: Date,
): Timeliness {
  const end = researchEnd(request, enquiry);
  return {
    overdue: end === null && after(now, request.dueBy),
    breachedAt: after(end ?? now, request.dueBy) ? request.dueBy : null,
  };
}

/** Whether a research request counts as answered within its timescale in the report. */
export function researchWithinTimescale(request: ResearchTiming): boolean {
  return request.answeredAt !== null && !after(request.answeredAt, request.dueBy);
}

/** The enquiry's decision: overdue while open past dueBy; breached if open or closed past it. */
export function decisionTimeliness(enquiry: EnquiryTiming, now: Date): Timeliness {
  if (enquiry.status === "OPEN") {
    const late = after(now, enquiry.dueBy);
    return { overdue: late, breachedAt: late ? enquiry.dueBy : null };
  }
  const late = enquiry.closedAt !== null && after(enquiry.closedAt, enquiry.dueBy);
  return { overdue: false, breachedAt: late ? enquiry.dueBy : null };
}
