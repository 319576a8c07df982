import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";

export { canonicalJson } from "./canonical-json.ts";

/** ok: all asked for; partial: some fields withheld; refused: no data (before or at execution). */
export type AuditOutcome = "ok" | "partial" | "refused";

/**
 * What the log keeps about one GraphQL request: who asked, why, what was released and what was
 * withheld. Names of types and fields, subject ids and rule ids only: never a record's values.
 */
export interface AuditEntry {
  at: string;
  requestId: string;
  userId: string;
  agency: string | null;
  roles: string[];
  enquiryId: string | null;
  breakGlassReason: string | null;
  operationName: string | null;
  /** sha256 of the query text the client sent. */
  queryHash: string;
  /** Ids of the subjects any released field was about. */
  subjects: string[];
  /** Distinct "Type.field" released, with the agency that owns it. */
  released: readonly { readonly field: string; readonly agency: string }[];
  /** Distinct "Type.field" withheld, with the rule that withheld it and the agency that owns it. */
  withheld: { field: string; rule: string; agency?: string }[];
  /** Per owning agency, the subjects its returned data was about: what its officers query. */
  seen?: { agency: string; subjects: string[] }[];
  /**
   * Per owning agency, the subjects it released something about (a value, not a null, false or
   * empty list): who is told of a break glass or a flagged person. Older records have none, and
   * their notifications follow `seen`.
   */
  held?: { agency: string; subjects: string[] }[];
  /** Subjects reached whose flag (roles.yaml scope.flag, e.g. sealed) was set. */
  flagged?: string[];
  /** A governance officer's step (policy change, log query), on their agency's behalf. */
  governance?: { action: string; agency: string; target?: string; reason?: string };
  /** Why a request was refused before anything was fetched: the error code it got. */
  refusal?: string;
  /**
   * Refusals of clients that were not signed in are one record per address, reason and minute:
   * how many there were, from when to when. A flood can neither fill the log nor bury its entries.
   */
  aggregate?: { address: string; count: number; from: string; to: string; api: string };
  outcome: AuditOutcome;
}

/** An entry as the chain holds it: numbered, and linked to the one before. */
export interface AuditRecord extends AuditEntry {
  seq: number;
}

/** The previous hash of the first record. */
export const GENESIS = "0".repeat(64);

/** sha256 over the canonical record and the previous record's hash. */
export function chainHash(record: AuditRecord, previousHash: string): string {
  return chainHashOf(canonicalJson(record), previousHash);
}

/** chainHash of a record whose canonical JSON is already written (the row's body): one walk, not two. */
export function chainHashOf(body: string, previousHash: string): string {
  return createHash("sha256").update(body).update("\n").update(previousHash).digest("hex");
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
