import type { PolicyProblem, PolicySet } from "../authz/policy/types.ts";
import type { PolicyVersion } from "./policy-store.ts";

/** A signed-in governance officer: acts on their own agency's policy only. */
export interface Officer {
  id: string;
  agency: string | undefined;
  roles: readonly string[];
}

export type GovernanceErrorCode =
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_INPUT"
  | "BAD_STATE"
  | "INVALID_POLICY";

export class GovernanceError extends Error {
  constructor(
    readonly code: GovernanceErrorCode,
    message: string,
    readonly problems: PolicyProblem[] = [],
  ) {
    super(message);
    this.name = "GovernanceError";
  }
}

export type LifecycleAction =
  | "SAVE_DRAFT"
  | "DISCARD_DRAFT"
  | "PROPOSE"
  | "APPROVE"
  | "REJECT"
  | "PUBLISH"
  | "ROLLBACK"
  | "PUBLISH_NARROWING"
  | "REVIEW_NARROWING";

/** What the audit hook is told before a step commits. */
export interface LifecycleRecord {
  action: LifecycleAction;
  versionId: string;
  agency: string;
  officer: Officer;
  reason?: string;
}

export type RecordHook = (action: LifecycleRecord) => Promise<void> | void;

/** Per call: a request's own audit hook (the request id is known only there). */
export interface StepOptions {
  record?: RecordHook;
}

export interface Lifecycle {
  saveDraft(
    officer: Officer,
    input: { text: string; note?: string | null },
    options?: StepOptions,
  ): Promise<PolicyVersion>;
  propose(
    officer: Officer,
    versionId: string,
    reason: string,
    options?: StepOptions,
  ): Promise<PolicyVersion>;
  approve(
    officer: Officer,
    versionId: string,
    comment?: string | null,
    options?: StepOptions,
  ): Promise<PolicyVersion>;
  reject(
    officer: Officer,
    versionId: string,
    reason: string,
    options?: StepOptions,
  ): Promise<PolicyVersion>;
  /** Puts an approved version in force; refused when it widens beyond what was approved. */
  publish(officer: Officer, versionId: string, options?: StepOptions): Promise<PolicyVersion>;
  /** Proposes an earlier version's text again: a PROPOSED version a second officer must approve. */
  rollback(
    officer: Officer,
    toVersionId: string,
    reason: string,
    options?: StepOptions,
  ): Promise<PolicyVersion>;
  /** The author throws a draft away (DISCARDED: kept for the record, out of the list). */
  discardDraft(officer: Officer, versionId: string, options?: StepOptions): Promise<PolicyVersion>;
  /**
   * One officer puts a change in force at once, provided it only takes access away (BAD_STATE
   * naming the first gain otherwise); flagged until another officer reviews it.
   */
  publishNarrowing(
    officer: Officer,
    input: NarrowingInput,
    options?: StepOptions,
  ): Promise<PolicyVersion>;
  /** Another officer of the agency reviews an emergency narrowing; the flag is cleared. */
  reviewNarrowing(
    officer: Officer,
    versionId: string,
    comment: string,
    options?: StepOptions,
  ): Promise<PolicyVersion>;
  /** The problems a text would have as the agency's policy now; empty when it would load. */
  problemsOf(agency: string, text: string): Promise<PolicyProblem[]>;
}

/** A narrowing is a stored version (a draft, proposal, approved or earlier one) or a new text. */
export interface NarrowingInput {
  versionId?: string | null;
  text?: string | null;
  reason: string;
}

/** The agency an officer governs; FORBIDDEN unless they hold a governance role and an agency. */
export function governedAgency(policy: PolicySet, officer: Officer): string {
  const governs = officer.roles.some((r) => policy.roles.get(r)?.governance);
  if (!governs) throw new GovernanceError("FORBIDDEN", "only a governance officer may do this");
  if (!officer.agency || !policy.agencies.has(officer.agency))
    throw new GovernanceError("FORBIDDEN", "the officer's agency is not one of the agencies");
  return officer.agency;
}
