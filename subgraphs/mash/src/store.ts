import { fromFlag } from "@mash/kit";

export { migrations } from "./migrations.ts";

export interface MashDB {
  subjects: {
    id: string;
    given_name: string;
    family_name: string;
    date_of_birth: string | null;
    nhs_number: string | null;
    address_line1: string | null;
    postcode: string | null;
    sealed: number;
    household_id: string | null;
  };
  /** Name, date and postcode keys that let search find candidates by index, not by scan. */
  search_keys: { key: string; subject_id: string; weight: number };
  enquiries: {
    id: string;
    number: number;
    status: string;
    rag: string;
    opened_at: string;
    due_by: string;
    reason: string;
    outcome: string | null;
    closed_at: string | null;
    close_reason: string | null;
    /** The agency whose front door leads the enquiry; null on rows written before it was kept. */
    lead: string | null;
    opened_by: string | null;
    /** 1 when opened with no contact recorded. */
    without_contact: number;
    decided_by: string | null;
    feedback_at: string | null;
    feedback_how: string | null;
    feedback_by: string | null;
  };
  enquiry_subjects: { enquiry_id: string; subject_id: string };
  /**
   * Every sharing decision ever recorded, never updated or deleted. `seq` numbers an enquiry's
   * decisions in the order they were recorded; an agency's current decision is its highest.
   */
  sharing_decisions: {
    enquiry_id: string;
    seq: number;
    agency: string;
    decision: string;
    reason: string;
    recorded_by: string;
    recorded_at: string;
  };
  /**
   * Each agency ragged in to research an enquiry: one row per (enquiry, agency). Releasing sets
   * the released_* columns; asking a released agency again clears them and restarts asked_*.
   */
  research_requests: {
    enquiry_id: string;
    agency: string;
    asked_at: string;
    asked_by: string;
    released_at: string | null;
    released_by: string | null;
    release_reason: string | null;
    /** Null only on rows written before due times were kept: read as asked_at plus the timescale. */
    due_by: string | null;
    answered_at: string | null;
    answered_by: string | null;
    finding: string | null;
    nothing_known: number | null;
    /** The sharing_decisions row recorded with the latest answer. */
    decision_seq: number | null;
  };
  /** Contacts to the front door, each screened at most once, and progressed to at most one enquiry. */
  contacts: {
    id: string;
    number: number;
    received_at: string;
    recorded_at: string;
    recorded_by: string;
    referrer_kind: string;
    referrer_agency: string | null;
    referrer_name: string;
    referrer_role: string | null;
    referrer_how: string | null;
    concern: string;
    consent_sought: number;
    consent_reason: string;
    screening_outcome: string | null;
    screening_reason: string | null;
    screened_agency: string | null;
    screened_by: string | null;
    screened_at: string | null;
    enquiry_id: string | null;
  };
  contact_subjects: { contact_id: string; subject_id: string; received_at: string };
  /** Every RAG rating an enquiry had: seq 1 is the rating it opened with (previous null). */
  rag_changes: {
    enquiry_id: string;
    seq: number;
    rag: string;
    previous: string | null;
    reason: string;
    changed_by: string;
    changed_at: string;
  };
  disagreements: {
    enquiry_id: string;
    seq: number;
    agency: string;
    reason: string;
    recorded_by: string;
    recorded_at: string;
  };
}

export const tables = [
  "disagreements",
  "rag_changes",
  "contact_subjects",
  "contacts",
  "research_requests",
  "sharing_decisions",
  "enquiry_subjects",
  "enquiries",
  "search_keys",
  "subjects",
] as const;

export type SubjectRow = MashDB["subjects"];
export type EnquiryRow = MashDB["enquiries"];

export interface SubjectView {
  id: string;
  name: { given: string; family: string };
  dateOfBirth: string | null;
  nhsNumber: string | null;
  address: { line1: string; postcode: string } | null;
  sealed: boolean;
  householdId: string | null;
}

export function toSubject(row: SubjectRow): SubjectView {
  return {
    id: row.id,
    name: { given: row.given_name, family: row.family_name },
    dateOfBirth: row.date_of_birth,
    nhsNumber: row.nhs_number,
    address:
      row.address_line1 && row.postcode
        ? { line1: row.address_line1, postcode: row.postcode }
        : null,
    sealed: fromFlag(row.sealed) ?? false,
    householdId: row.household_id,
  };
}

export interface EnquiryView {
  id: string;
  status: string;
  rag: string;
  openedAt: string;
  dueBy: string;
  reason: string;
  outcome: string | null;
  closedAt: string | null;
  closeReason: string | null;
  lead: string | null;
  openedBy: string | null;
  openedWithoutContact: boolean;
  decidedBy: string | null;
  feedback: { givenAt: string; how: string; recordedBy: string } | null;
}

export function toEnquiry(row: EnquiryRow): EnquiryView {
  return {
    id: row.id,
    status: row.status,
    rag: row.rag,
    openedAt: row.opened_at,
    dueBy: row.due_by,
    reason: row.reason,
    outcome: row.outcome,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
    lead: row.lead,
    openedBy: row.opened_by,
    openedWithoutContact: row.without_contact === 1,
    decidedBy: row.decided_by,
    feedback:
      row.feedback_at && row.feedback_how
        ? { givenAt: row.feedback_at, how: row.feedback_how, recordedBy: row.feedback_by ?? "" }
        : null,
  };
}

export type SharingDecisionRow = MashDB["sharing_decisions"];

export interface SharingDecisionView {
  enquiryId: string;
  agency: string;
  decision: string;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

export function toSharingDecision(row: SharingDecisionRow): SharingDecisionView {
  return {
    enquiryId: row.enquiry_id,
    agency: row.agency,
    decision: row.decision,
    reason: row.reason,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

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
