import type { WorkspaceEnquiryQuery } from "./generated/operations.ts";

export type RecordedDecision = NonNullable<
  NonNullable<WorkspaceEnquiryQuery["enquiry"]>["sharingDecisionHistory"]
>[number];

/** One recorded sharing decision, with where it stands now. */
export interface HistoryLine {
  readonly decision: RecordedDecision;
  /** The agency's decision as it stands: the last it recorded. */
  readonly current: boolean;
  /** When the same agency recorded the decision that replaced this one; else undefined. */
  readonly amendedAt?: string;
}

const DECISION_WORDS: Readonly<Record<string, string>> = {
  SHARE: "Share",
  SHARE_WITH_CONDITIONS: "Share with conditions",
  DO_NOT_SHARE: "Do not share",
};

/** A decision kind as a practitioner reads it; an unknown one as the graph spells it. */
export const decisionWords = (kind: string): string => DECISION_WORDS[kind] ?? kind;

const timeOf = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/**
 * Every decision recorded, oldest first, each marked current or amended. The hub lists them
 * newest first and never rewrites one, so an agency's current decision is its last; the sort is
 * stable over the reversed list, so two recorded in the same millisecond keep the hub's order.
 */
export function historyLines(history: readonly RecordedDecision[]): HistoryLine[] {
  const oldestFirst = [...history]
    .reverse()
    .sort((a, b) => timeOf(a.recordedAt) - timeOf(b.recordedAt));
  const next = new Map<string, string>();
  const lines: HistoryLine[] = [];
  for (let i = oldestFirst.length - 1; i >= 0; i--) {
    const decision = oldestFirst[i] as RecordedDecision;
    const amendedAt = next.get(decision.agency);
    lines.push(
      amendedAt === undefined
        ? { decision, current: true }
        : { decision, current: false, amendedAt },
    );
    next.set(decision.agency, decision.recordedAt);
  }
  return lines.reverse();
}
