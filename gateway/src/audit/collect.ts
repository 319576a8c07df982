import type { ExecutionResult } from "graphql";
import type { FilterCollector } from "../authz/filter.ts";
import type { GatewayContext } from "../server/request-auth.ts";
import type { AuditEntry, AuditOutcome } from "./record.ts";
import { sha256 } from "./record.ts";

/** What the result filter saw for one request: fields released and withheld, subjects touched. */
export function createAuditCollector(
  ownerOf: (type: string, field: string) => { agency: string },
): FilterCollector & {
  released: Map<string, string>;
  withheld: Map<string, Set<string>>;
  subjects: Set<string>;
} {
  const released = new Map<string, string>();
  const withheld = new Map<string, Set<string>>();
  const subjects = new Set<string>();
  return {
    released,
    withheld,
    subjects,
    onReleased(type, field, scope) {
      const key = `${type}.${field}`;
      if (!released.has(key)) released.set(key, ownerOf(type, field).agency);
      if (scope !== undefined) subjects.add(scope);
    },
    onWithheld(type, field, error) {
      const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
      const rule = typeof extensions?.rule === "string" ? extensions.rule : "error";
      const key = `${type}.${field}`;
      let rules = withheld.get(key);
      if (!rules) {
        rules = new Set();
        withheld.set(key, rules);
      }
      rules.add(rule);
    },
  };
}

/** The audit entry for a request the authorizing gateway answered. */
export function auditEntry(options: {
  context: GatewayContext;
  operationName: string | null | undefined;
  queryText: string;
  collector?: ReturnType<typeof createAuditCollector>;
  result: ExecutionResult;
  now?: Date;
}): AuditEntry {
  const { context, collector, result } = options;
  const released = collector ? [...collector.released].sort(([a], [b]) => a.localeCompare(b)) : [];
  const withheld = collector
    ? [...collector.withheld]
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([field, rules]) => [...rules].sort().map((rule) => ({ field, rule })))
    : [];
  const hasErrors = (result.errors?.length ?? 0) > 0;
  const outcome: AuditOutcome = !hasErrors
    ? "ok"
    : released.length > 0 && result.data
      ? "partial"
      : "refused";
  return {
    at: (options.now ?? new Date()).toISOString(),
    requestId: context.requestId ?? "(unknown)",
    userId: context.principal?.id ?? "(unknown)",
    agency: context.principal?.agency ?? null,
    roles: [...(context.principal?.roles ?? [])].sort(),
    enquiryId: context.enquiryId ?? null,
    breakGlassReason: context.breakGlassReason ?? null,
    operationName: options.operationName ?? null,
    queryHash: sha256(options.queryText),
    subjects: collector ? [...collector.subjects].sort() : [],
    released: released.map(([field, agency]) => ({ field, agency })),
    withheld,
    outcome,
  };
}
