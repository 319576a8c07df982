/**
 * The shapes of gateway/src/governance/schema.graphql that this console reads, written out by
 * hand: the console selects only what it shows, and a build step to generate them would be
 * heavier than the dozen types it saves.
 */

export type Access = "ALLOWED" | "CONDITIONAL" | "DENIED";

export type PolicyStatus =
  | "DRAFT"
  | "PROPOSED"
  | "APPROVED"
  | "REJECTED"
  | "PUBLISHED"
  | "SUPERSEDED";

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
  readonly problems: readonly PolicyProblem[];
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

export interface Impact {
  readonly problems: readonly PolicyProblem[];
  readonly changes: readonly AccessChange[];
  readonly affectedSubjects: readonly { readonly type: string; readonly subjects: number }[];
}

export interface SimulationInput {
  readonly role: string;
  readonly subjectId: string;
  readonly enquiryId?: string;
  readonly breakGlass: boolean;
  readonly text?: string;
}

export interface SimulatedField {
  readonly path: string;
  readonly field: string;
  readonly owner: string;
  readonly visible: boolean;
  readonly rule: string | null;
  readonly masked: string | null;
}

export interface Simulation {
  readonly problems: readonly PolicyProblem[];
  readonly inEnquiry: boolean;
  readonly fields: readonly SimulatedField[];
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
}

export interface AccessLogFilter {
  subjectId?: string;
  userId?: string;
  enquiryId?: string;
  from?: string;
  to?: string;
  breakGlass?: boolean;
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
