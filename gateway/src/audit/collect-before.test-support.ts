import type { AuditCollector } from "../authz/release-collector.ts";
import type { AnsweredRequest, GatewayContext } from "../request/context.ts";
import type { AuditEntry, AuditOutcome } from "./record.ts";
import { sha256 } from "./record.ts";

/**
 * auditEntry and subjectRows as they were written before the access log's event-loop cost was
 * cut (localeCompare sorts, a sha256 per request, sorted copies of every set): the reference
 * collect.test.ts checks the records made now against, byte for byte.
 */
const byKey = <T>(entries: Iterable<[string, T]>) =>
  [...entries].sort(([a], [b]) => a.localeCompare(b));

export function auditEntryBefore(options: {
  context: Pick<GatewayContext, "requestId" | "principal" | "enquiryId" | "breakGlassReason">;
  answered: AnsweredRequest;
  now?: Date;
}): AuditEntry {
  const { context, answered } = options;
  const collector = answered.collected as AuditCollector | undefined;
  const released = collector ? byKey(collector.released) : [];
  const withheld = collector
    ? byKey(collector.withheld).flatMap(([field, { agency, rules }]) =>
        [...rules].sort().map((rule) => ({ field, rule, agency })),
      )
    : [];
  const outcome: AuditOutcome = !answered.hasErrors
    ? "ok"
    : released.length > 0 && answered.hasData
      ? "partial"
      : "refused";
  const now = options.now ?? new Date();
  return {
    at: now.toISOString(),
    requestId: context.requestId,
    userId: context.principal?.id ?? "(unauthenticated)",
    agency: context.principal?.agency ?? null,
    roles: [...(context.principal?.roles ?? [])].sort(),
    enquiryId: context.enquiryId ?? null,
    breakGlassReason: context.breakGlassReason ?? null,
    operationName: answered.operationName,
    queryHash: sha256(answered.queryText),
    subjects: collector ? [...collector.subjects].sort() : [],
    released: released.map(([field, agency]) => ({ field, agency })),
    withheld,
    seen: collector
      ? byKey(collector.seen).map(([agency, subjects]) => ({
          agency,
          subjects: [...subjects].sort(),
        }))
      : [],
    held: collector
      ? byKey(collector.held).map(([agency, subjects]) => ({
          agency,
          subjects: [...subjects].sort(),
        }))
      : [],
    flagged: collector ? [...collector.flagged].sort() : [],
    outcome,
  };
}

export const subjectRowsBefore = (record: { seq: number; seen?: { subjects: string[] }[] }) =>
  [...new Set((record.seen ?? []).flatMap((s) => s.subjects))].map((subject_id) => ({
    seq: record.seq,
    subject_id,
  }));
