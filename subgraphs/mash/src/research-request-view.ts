import type { MashDB } from "./mash-db.ts";

export type ResearchRequestRow = MashDB["research_requests"];

export interface ResearchRequestView {
  enquiryId: string;
  agency: string;
  askedAt: string;
  askedBy: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
  /** Null only on rows written before due times were kept. */
  dueBy: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  finding: string | null;
  nothingKnown: boolean;
  decisionSeq: number | null;
}

/** A research request as it is first written (or written again): asked, and not released. */
export function askedRequest(
  enquiryId: string,
  agency: string,
  askedAt: string,
  askedBy: string,
  dueBy: string,
): ResearchRequestRow {
  return {
    enquiry_id: enquiryId,
    agency,
    asked_at: askedAt,
    asked_by: askedBy,
    released_at: null,
    released_by: null,
    release_reason: null,
    due_by: dueBy,
    answered_at: null,
    answered_by: null,
    finding: null,
    nothing_known: null,
    decision_seq: null,
  };
}

export function toResearchRequest(row: ResearchRequestRow): ResearchRequestView {
  return {
    enquiryId: row.enquiry_id,
    agency: row.agency,
    askedAt: row.asked_at,
    askedBy: row.asked_by,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
    releaseReason: row.release_reason,
    dueBy: row.due_by,
    answeredAt: row.answered_at,
    answeredBy: row.answered_by,
    finding: row.finding,
    nothingKnown: row.nothing_known === 1,
    decisionSeq: row.decision_seq,
  };
}
