/**
 * The shapes of gateway/src/governance/schema.graphql that this console reads, written out by
 * hand: the console selects only what it shows, and a build step to generate them would be
 * heavier than the dozen types it saves. The simulation's are in simulation-types.ts.
 */

export type Access = "ALLOWED" | "CONDITIONAL" | "DENIED";

export type PolicyStatus =
  | "DRAFT"
  | "PROPOSED"
  | "APPROVED"
  | "REJECTED"
  | "PUBLISHED"
  | "SUPERSEDED"
  | "DISCARDED";

export interface Officer {
  readonly id: string;
  readonly name: string | null;
  readonly agency: string;
  readonly agencyTitle: string;
  readonly roles: readonly string[];
}

export interface PolicyProblem {
  readonly line: number | null;
  readonly rule: string | null;
  readonly message: string;
}

export interface PolicyVersion {
  readonly id: string;
  readonly agency: string;
  readonly number: number;
  readonly status: PolicyStatus;
  readonly text: string;
  readonly note: string | null;
  readonly reason: string | null;
  readonly author: string;
  readonly createdAt: string;
  readonly proposedAt: string | null;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly reviewComment: string | null;
  readonly rejectedBy: string | null;
  readonly rejectedAt: string | null;
  readonly publishedBy: string | null;
  readonly publishedAt: string | null;
  readonly restoredFrom: string | null;
  readonly discardedAt: string | null;
  readonly problems: readonly PolicyProblem[];
  readonly emergency: EmergencyNarrowing | null;
}

/** Set on a version one officer published at once because it only takes access away. */
export interface EmergencyNarrowing {
  readonly reason: string;
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
  readonly reviewComment: string | null;
}

/** What a reviewer reads before deciding: the diff and impact against the policy in force. */
export interface VersionReview {
  readonly id: string;
  readonly diffFromInForce: string;
  readonly widening: readonly string[];
  readonly impact: Impact;
}

/** What awaits the signed-in officer (the inbox shown on sign-in). */
export interface Inbox {
  readonly proposalsToReview: readonly PolicyVersion[];
  readonly narrowingsToReview: readonly PolicyVersion[];
  readonly awaitingOthers: readonly PolicyVersion[];
  readonly unacknowledgedNotifications: number | null;
}

export interface MatrixCell {
  readonly role: string;
  readonly outside: Access;
  readonly inEnquiry: Access;
  readonly breakGlass: Access;
  readonly condition: string | null;
  readonly rules: readonly string[];
}

export interface PolicyMatrix {
  readonly roles: readonly string[];
  readonly rows: readonly { readonly field: string; readonly cells: readonly MatrixCell[] }[];
}

export interface AgencyPolicy {
  readonly agency: string;
  readonly version: Pick<PolicyVersion, "id" | "number" | "status" | "publishedAt"> | null;
  readonly text: string;
  readonly matrix: PolicyMatrix;
}

export interface AccessChange {
  readonly role: string;
  readonly field: string;
  readonly purpose: string;
  readonly before: Access;
  readonly after: Access;
  readonly beforeCondition: string | null;
  readonly afterCondition: string | null;
  readonly change: string;
}

/** Subjects with records of a type; under the threshold only `fewerThan` (subjects null). */
export interface AffectedCount {
  readonly type: string;
  readonly subjects: number | null;
  readonly fewerThan: number | null;
}

/** A policy test case whose outcome a candidate text changes. */
export interface PolicyCaseChange {
  readonly name: string;
  readonly passedBefore: boolean;
  readonly passedAfter: boolean;
  readonly nowVisible: readonly string[];
  readonly nowWithheld: readonly string[];
}

export interface Impact {
  readonly problems: readonly PolicyProblem[];
  readonly changes: readonly AccessChange[];
  readonly affectedSubjects: readonly AffectedCount[];
  readonly caseChanges: readonly PolicyCaseChange[];
}

export interface ShadowReport {
  readonly versionId: string;
  readonly requestsObserved: number;
  readonly differences: readonly {
    readonly role: string;
    readonly field: string;
    readonly change: string;
    readonly count: number;
  }[];
}

export interface AccessEntry {
  readonly seq: number;
  readonly at: string;
  readonly requestId: string;
  readonly userId: string;
  readonly userAgency: string | null;
  readonly roles: readonly string[];
  readonly enquiryId: string | null;
  readonly breakGlassReason: string | null;
  readonly operationName: string | null;
  readonly outcome: string;
  readonly subjects: readonly string[];
  readonly released: readonly string[];
  readonly withheld: readonly { readonly field: string; readonly rule: string }[];
  /** What an officer did, for governance traffic. */
  readonly action: string | null;
}

export type AccessTraffic = "PRACTITIONERS" | "GOVERNANCE" | "ALL";

export interface AccessLogFilter {
  subjectId?: string;
  userId?: string;
  enquiryId?: string;
  from?: string;
  to?: string;
  breakGlass?: boolean;
  traffic?: AccessTraffic;
}

export interface Notification {
  readonly id: string;
  readonly seq: number;
  readonly at: string;
  readonly kinds: readonly string[];
  readonly userId: string;
  readonly userAgency: string | null;
  readonly roles: readonly string[];
  readonly enquiryId: string | null;
  readonly reason: string | null;
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
}
