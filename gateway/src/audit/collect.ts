import type { ExecutionResult } from "graphql";
import type { FilterCollector } from "../authz/filter.ts";
import type { GatewayContext } from "../server/request-auth.ts";
import type { AuditEntry, AuditOutcome } from "./record.ts";
import { sha256 } from "./record.ts";

type Owner = (type: string, field: string) => { agency: string };

export type AuditCollector = FilterCollector & {
  released: Map<string, string>;
  withheld: Map<string, { agency: string; rules: Set<string> }>;
  subjects: Set<string>;
  /** Owning agency to the subjects its released data was about. */
  seen: Map<string, Set<string>>;
  flagged: Set<string>;
};

/** What the result filter saw for one request: fields released and withheld, subjects touched. */
export function createAuditCollector(ownerOf: Owner): AuditCollector {
  const released = new Map<string, string>();
  const withheld = new Map<string, { agency: string; rules: Set<string> }>();
  const subjects = new Set<string>();
  const seen = new Map<string, Set<string>>();
  const flagged = new Set<string>();
  return {
    released,
    withheld,
    subjects,
    seen,
    flagged,
    onReleased(type, field, scope) {
      const key = `${type}.${field}`;
      let agency = released.get(key);
      if (agency === undefined) {
        agency = ownerOf(type, field).agency;
        released.set(key, agency);
      }
      let forAgency = seen.get(agency);
      if (!forAgency) {
        forAgency = new Set();
        seen.set(agency, forAgency);
      }
      if (scope !== undefined) {
        subjects.add(scope);
        forAgency.add(scope);
      }
    },
    onWithheld(type, field, error) {
      const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
      const rule = typeof extensions?.rule === "string" ? extensions.rule : "error";
      const key = `${type}.${field}`;
      let entry = withheld.get(key);
      if (!entry) {
        entry = { agency: ownerOf(type, field).agency, rules: new Set() };
        withheld.set(key, entry);
      }
      entry.rules.add(rule);
    },
    onFlagged(scope) {
      flagged.add(scope);
    },
  };
}

const byKey = <T>(entries: Iterable<[string, T]>) =>
  [...entries].sort(([a], [b]) => a.localeCompare(b));

/** The audit entry for a request the authorizing gateway answered. */
export function auditEntry(options: {
  context: GatewayContext;
  operationName: string | null | undefined;
  queryText: string;
  collector?: AuditCollector;
  result: ExecutionResult;
  now?: Date;
}): AuditEntry {
  const { context, collector, result } = options;
  const released = collector ? byKey(collector.released) : [];
  const withheld = collector
    ? byKey(collector.withheld).flatMap(([field, { agency, rules }]) =>
        [...rules].sort().map((rule) => ({ field, rule, agency })),
      )
    : [];
  const hasErrors = (result.errors?.length ?? 0) > 0;
  const outcome: AuditOutcome = !hasErrors
    ? "ok"
    : released.length > 0 && result.data
      ? "partial"
      : "refused";
  return {
    ...requestFacts(context, options.now),
    operationName: options.operationName ?? null,
    queryHash: sha256(options.queryText),
    subjects: collector ? [...collector.subjects].sort() : [],
    released: released.map(([field, agency]) => ({ field, agency })),
    withheld,
    seen: collector
      ? byKey(collector.seen).map(([agency, subjects]) => ({
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
