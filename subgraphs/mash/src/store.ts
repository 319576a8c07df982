import { fromFlag } from "@mash/kit";
import type { MashDB } from "./mash-db.ts";

export { type MashDB, tables } from "./mash-db.ts";
export { migrations } from "./migrations.ts";
export {
  askedRequest,
  type ResearchRequestRow,
  type ResearchRequestView,
  toResearchRequest,
} from "./research-request-view.ts";

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
