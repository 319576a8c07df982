import type { AgencyIndexRow, NotificationRow, SubjectIndexRow } from "./index-rows.ts";
import type { LogRow } from "./link-batch.ts";

export interface AuditTables {
  audit_log: LogRow;
  audit_checkpoint: { seq: number; body: string; signature: string };
  audit_agency: AgencyIndexRow;
  audit_subject: SubjectIndexRow;
  audit_notification: NotificationRow;
}

/** Where a retention purge cut the chain: signed, so the cut cannot be moved unnoticed. */
export type CheckpointRow = AuditTables["audit_checkpoint"];

/** A stored row: the canonical record as written, its link and its hash. */
export type AuditRow = Pick<AuditTables["audit_log"], "seq" | "body" | "prev_hash" | "hash">;
