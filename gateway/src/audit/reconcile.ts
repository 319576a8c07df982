import { createHash } from "node:crypto";
import { GATEWAY_SUBJECT, readServedLog, type ServedRow, type StoreConfig } from "@mash/kit";
import { SERVICE_QUERY } from "../compose/fetch-sdl.ts";
import type { AuditEntry } from "./record.ts";
import { openAuditStore } from "./store.ts";

/**
 * Requests the gateway makes for itself that no client request causes, each known by exactly
 * what it sends: these alone may be served under the gateway's own name with no record in the
 * access log. Purpose lookups are the gateway's too, but always for a client request, whose id
 * they carry: they must match its record like any fetch.
 */
export const GATEWAY_OWN_OPERATIONS = {
  /** The `_service` schema fetch at start-up (compose/fetch-sdl.ts). */
  "schema fetch": (row: ServedRow) =>
    row.operation === "query" &&
    row.root_fields === "_service" &&
    row.query_hash === createHash("sha256").update(SERVICE_QUERY).digest("hex"),
  /** GET /subject-counts, for a governance officer weighing a change (governance/subject-counts.ts). */
  "subject counts": (row: ServedRow) => row.operation === "subject-counts",
} as const;

export type GatewayOwnOperation = keyof typeof GATEWAY_OWN_OPERATIONS;

/** A fetch is made while the request it serves is in flight; its record is written at the end. */
export const MATCH_WINDOW_SECONDS = 120;

export interface ReconcileOptions {
  /** The access log the gateway writes (the store audit:verify reads). */
  audit: StoreConfig;
  /** Each agency whose served log is read, and where its store is. */
  agencies: { name: string; store: StoreConfig }[];
  /** ISO 8601: served requests at or after. */
  since?: string;
  /** ISO 8601: served requests before; default `settleSeconds` ago. */
  until?: string;
  /**
   * Served requests newer than this are left for the next run (default 30 s): the record of the
   * client request they serve is written when it is answered, after its fetches.
   */
  settleSeconds?: number;
  /** Now, for tests. */
  now?: Date;
}

/** A served request no gateway request accounts for, and why not. */
export interface UnmatchedRequest {
  agency: string;
  at: string;
  rid: string | null;
  sub: string | null;
  roles: string | null;
  enquiry: string | null;
  operation: string | null;
  rootFields: string | null;
  entities: number;
  jti: string | null;
  problem: string;
}

export interface AgencyReconciliation {
  agency: string;
  /** Set when the agency's store or served log is not there to read. */
  missing?: string;
  served: number;
  /** Matched to the access-log record of the client request they served. */
  matched: number;
  /** The gateway's own requests made for no client request, by kind. */
  gatewayOwn: Partial<Record<GatewayOwnOperation, number>>;
  /** Served before the access log's earliest record (removed by a retention purge). */
  beforeLog: number;
  /** Refused by the agency, by reason: no data went out, so nothing to match. */
  refused: Record<string, number>;
  unmatched: UnmatchedRequest[];
}

export interface Reconciliation {
  ok: boolean;
  window: { since: string | undefined; until: string };
  accessRecords: number;
  agencies: AgencyReconciliation[];
  unmatched: UnmatchedRequest[];
}

type Recorded = Pick<AuditEntry, "at" | "userId" | "roles" | "enquiryId">;

/**
 * Matches every request each agency says it served to the access-log record of the gateway
 * request it was for, by request id, and names each that has none: a request signed with the
 * gateway's key that no gateway request made, which is what a stolen key looks like. A match
 * must also agree on the user, roles and enquiry the context was signed for and lie within
 * MATCH_WINDOW_SECONDS of the record, so a request id a user saw on their own answer does not
 * cover a request made in someone else's name or with other roles.
 */
export async function reconcile(options: ReconcileOptions): Promise<Reconciliation> {
  const now = options.now ?? new Date();
  const until =
    options.until ?? new Date(now.getTime() - (options.settleSeconds ?? 30) * 1000).toISOString();
  const window = { since: options.since, until };
  const { records, earliest } = await readAccessLog(options.audit);
  const agencies: AgencyReconciliation[] = [];
  for (const agency of options.agencies) {
    const rows = await readServedLog(agency.store, window);
    const result: AgencyReconciliation = {
      agency: agency.name,
      served: 0,
      matched: 0,
      gatewayOwn: {},
      beforeLog: 0,
      refused: {},
      unmatched: [],
    };
    if (!rows) {
      result.missing = "no served log in its store (the subgraph has not run since it was added)";
      agencies.push(result);
      continue;
    }
    for (const row of rows) {
      if (row.outcome === "refused") {
        const reason = row.reason ?? "unknown";
        result.refused[reason] = (result.refused[reason] ?? 0) + 1;
        continue;
      }
      result.served += 1;
      const problem = problemWith(row, records.get(row.rid ?? ""));
      if (!problem) result.matched += 1;
      else if (earliest !== undefined && row.at < earliest) result.beforeLog += 1;
      else {
        const own = row.sub === GATEWAY_SUBJECT ? gatewayOwnKind(row) : undefined;
        if (own) result.gatewayOwn[own] = (result.gatewayOwn[own] ?? 0) + 1;
        else result.unmatched.push(unmatched(agency.name, row, problem));
      }
    }
    agencies.push(result);
  }
  const all = agencies.flatMap((a) => a.unmatched);
  return { ok: all.length === 0, window, accessRecords: records.size, agencies, unmatched: all };
}

function gatewayOwnKind(row: ServedRow): GatewayOwnOperation | undefined {
  for (const [kind, is] of Object.entries(GATEWAY_OWN_OPERATIONS))
    if (is(row)) return kind as GatewayOwnOperation;
  return undefined;
}

/** Why a served request is not the one its record says was made; undefined when it is. */
function problemWith(row: ServedRow, record: Recorded | undefined): string | undefined {
  if (!record) return "no access-log record has its request id";
  const apart = Math.abs(Date.parse(row.at) - Date.parse(record.at)) / 1000;
  if (!(apart <= MATCH_WINDOW_SECONDS))
    return `its request id's record is ${Math.round(apart)} s away from it`;
  // Purpose lookups are signed for the gateway itself, for the client request they serve.
  if (row.sub === GATEWAY_SUBJECT) return undefined;
  if (row.sub !== record.userId) return "its request id's record is another user's";
  if ((row.roles ?? "") !== [...record.roles].sort().join(","))
    return "signed with other roles than its request id's record";
  if ((row.enquiry ?? null) !== record.enquiryId)
    return "signed for another enquiry than its request id's record";
  return undefined;
}

const unmatched = (agency: string, row: ServedRow, problem: string): UnmatchedRequest => ({
  agency,
  at: row.at,
  rid: row.rid,
  sub: row.sub,
  roles: row.roles,
  enquiry: row.enquiry,
  operation: row.operation,
  rootFields: row.root_fields,
  entities: row.entities,
  jti: row.jti,
  problem,
});

/** Each record's request id; and, once a retention purge has cut the log, its earliest time. */
async function readAccessLog(
  config: StoreConfig,
): Promise<{ records: Map<string, Recorded>; earliest: string | undefined }> {
  const store = await openAuditStore(config);
  try {
    const records = new Map<string, Recorded>();
    let earliest: string | undefined;
    for (const row of await store.rows()) {
      const entry = JSON.parse(row.body) as AuditEntry;
      const { at, userId, roles, enquiryId } = entry;
      records.set(entry.requestId, { at, userId, roles, enquiryId });
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return { records, earliest: (await store.checkpoint()) ? earliest : undefined };
  } finally {
    await store.close();
  }
}
