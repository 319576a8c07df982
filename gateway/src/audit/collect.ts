import type { AuditCollector } from "../authz/release-collector.ts";
import type { AnsweredRequest, GatewayContext } from "../request/context.ts";
import type { AuditEntry, AuditOutcome } from "./record.ts";
import { sha256 } from "./record.ts";

export {
  type AuditCollector,
  createAuditCollector,
  type FieldSlot,
} from "../authz/release-collector.ts";

const byKey = <T>(entries: Iterable<[string, T]>) =>
  [...entries].sort(([a], [b]) => a.localeCompare(b));

/** The audit entry for a request the authorizing gateway answered. */
export function auditEntry(options: {
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
  return {
    ...requestFacts(context, options.now),
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

/** Who asked and why: the part of a record every request has, answered or refused. */
export function requestFacts(
  context: Partial<GatewayContext> & { requestId: string },
  now: Date = new Date(),
) {
  return {
    at: now.toISOString(),
    requestId: context.requestId,
    userId: context.principal?.id ?? "(unauthenticated)",
    agency: context.principal?.agency ?? null,
    roles: [...(context.principal?.roles ?? [])].sort(),
    enquiryId: context.enquiryId ?? null,
    breakGlassReason: context.breakGlassReason ?? null,
  };
}

/** A request refused before any GraphQL ran (bad token, unknown enquiry, rate limit...). */
export function refusedEntry(options: {
  context: Partial<GatewayContext> & { requestId: string };
  code: string;
  queryText?: string;
  operationName?: string | null;
}): AuditEntry {
  return {
    ...requestFacts(options.context),
    operationName: options.operationName ?? null,
    queryHash: sha256(options.queryText ?? ""),
    subjects: [],
    released: [],
    withheld: [],
    refusal: options.code,
    outcome: "refused",
  };
}
