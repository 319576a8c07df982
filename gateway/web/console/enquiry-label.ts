import type { OpenEnquiry } from "./api.ts";

/**
 * How the purpose picker names an enquiry: its id, its rating and how urgent it is in words (not
 * colour: an option element cannot carry colour anyway, and a screen reader reads the text), then
 * its reason. `timeZone` is for tests; the browser's own zone is the practitioner's.
 */
export function enquiryLabel(item: OpenEnquiry, timeZone?: string): string {
  const urgency = [item.rag, deadline(item, timeZone)].filter(Boolean).join(", ");
  return `${item.id} (${urgency}): ${item.reason}`;
}

function deadline(item: OpenEnquiry, timeZone: string | undefined): string | undefined {
  if (item.overdue) return "overdue";
  const due = item.dueBy ? new Date(item.dueBy) : undefined;
  if (!due || Number.isNaN(due.getTime())) return undefined;
  const when = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(due);
  return `due ${when}`;
}
