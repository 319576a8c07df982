/** The hub's tables as Kysely sees them (migrations.ts creates them). */
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
