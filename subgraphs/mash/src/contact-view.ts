import type { MashDB } from "./store.ts";

export type ContactRow = MashDB["contacts"];

export interface ScreeningView {
  outcome: string;
  reason: string;
  agency: string;
  screenedBy: string;
  screenedAt: string;
}

export interface ContactView {
  id: string;
  receivedAt: string;
  recordedAt: string;
  recordedBy: string;
  referrer: {
    kind: string;
    agency: string | null;
    name: string;
    role: string | null;
    howToReach: string | null;
  };
  concern: string;
  consentSought: boolean;
  consentReason: string;
  screening: ScreeningView | null;
  /** The enquiry it was progressed to; null until one is opened from it. */
  enquiryId: string | null;
}

export function toContact(row: ContactRow): ContactView {
  return {
    id: row.id,
    receivedAt: row.received_at,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
    referrer: {
      kind: row.referrer_kind,
      agency: row.referrer_agency,
      name: row.referrer_name,
      role: row.referrer_role,
      howToReach: row.referrer_how,
    },
    concern: row.concern,
    consentSought: row.consent_sought === 1,
    consentReason: row.consent_reason,
    screening:
      row.screening_outcome && row.screened_at
        ? {
            outcome: row.screening_outcome,
            reason: row.screening_reason ?? "",
            agency: row.screened_agency ?? "",
            screenedBy: row.screened_by ?? "",
            screenedAt: row.screened_at,
          }
        : null,
    enquiryId: row.enquiry_id,
  };
}
