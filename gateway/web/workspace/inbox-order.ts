import type { WorkspaceInboxQuery } from "./generated/operations.ts";

export type InboxEnquiry = WorkspaceInboxQuery["enquiries"][number];

/** One line of the inbox: an enquiry, and the research request in it for my agency, if any. */
export interface InboxItem {
  readonly enquiry: InboxEnquiry;
  /** Its place in the graph's list: an error about it has this index in its path. */
  readonly position: number;
  /** My agency's open research request (asked, not released, not answered); else undefined. */
  readonly request?: NonNullable<InboxEnquiry["research"]>[number];
  /** The deadline that matters to me: my request's when I am asked, else the decision's. */
  readonly dueBy: string | null;
  readonly overdue: boolean;
}

const RAG_RANK: Readonly<Record<string, number>> = { RED: 0, AMBER: 1, GREEN: 2 };
const rankOf = (rag: string | null | undefined) => RAG_RANK[rag ?? ""] ?? 3;
const timeOf = (iso: string | null) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);

/**
 * Overdue first, then RED before AMBER before GREEN (an unrated one last), then the soonest due,
 * then by id so the order never depends on how the hub listed them.
 */
export function compareUrgency(a: InboxItem, b: InboxItem): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    rankOf(a.enquiry.rag) - rankOf(b.enquiry.rag) ||
    timeOf(a.dueBy) - timeOf(b.dueBy) ||
    a.enquiry.id.localeCompare(b.enquiry.id)
  );
}

export interface Inbox {
  /** Research requests waiting for my agency: asked, not released, not yet answered. */
  readonly requests: InboxItem[];
  /** Every other open enquiry my agency takes part in (leads, or answered and still in). */
  readonly enquiries: InboxItem[];
}

/** Splits the open enquiries my agency takes part in into what waits for me and the rest. */
export function buildInbox(list: readonly InboxEnquiry[], agency: string): Inbox {
  const requests: InboxItem[] = [];
  const enquiries: InboxItem[] = [];
  for (const [position, enquiry] of list.entries()) {
    const request = (enquiry.research ?? []).find(
      (r) => r.agency === agency && !r.releasedAt && !r.answer,
    );
    if (request) {
      requests.push({ enquiry, position, request, dueBy: request.dueBy, overdue: request.overdue });
    } else {
      enquiries.push({
        enquiry,
        position,
        dueBy: enquiry.dueBy ?? null,
        overdue: enquiry.overdue === true,
      });
    }
  }
  return { requests: requests.sort(compareUrgency), enquiries: enquiries.sort(compareUrgency) };
}
