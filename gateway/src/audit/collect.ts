import type { AuditCollector } from "../authz/release-collector.ts";
import type { AnsweredRequest, GatewayContext } from "../request/context.ts";
import { settled } from "./canonical-json.ts";
import type { AuditEntry, AuditOutcome } from "./record.ts";
import { sha256 } from "./record.ts";

export {
  type AuditCollector,
  createAuditCollector,
  type FieldSlot,
} from "../authz/release-collector.ts";

/**
 * The map's keys in the order `localeCompare` sorts them, as records always had them: the keys
 * themselves are sorted rather than [key, value] pairs made and sorted (the same comparisons, on
 * the same order, so the same result), and the values looked up after. The order of a list of
 * keys met before (the fields a query releases, asked again) is kept: found by the keys joined,
 * and used only for the very same keys in the very same order.
 */
function sortedKeys(map: ReadonlyMap<string, unknown>): readonly string[] {
  const keys = [...map.keys()];
  if (keys.length < ORDERS_FROM) return keys.sort(byLocale);
  const id = keys.join("\n");
  const known = orders.get(id);
  if (known && sameKeys(known.keys, keys)) return known.sorted;
  const sorted = keys.slice().sort(byLocale);
  if (id.length <= LONGEST_KEPT) {
    if (orders.size >= ORDERS_KEPT) orders.delete(orders.keys().next().value as string);
    orders.set(id, { keys, sorted });
    keptOrders.add(sorted);
  }
  return sorted;
}

const byLocale = (a: string, b: string) => a.localeCompare(b);

/** Shorter lists are sorted each time: a sort of a few costs less than finding it. */
const ORDERS_FROM = 8;
const ORDERS_KEPT = 64;
const orders = new Map<string, { keys: readonly string[]; sorted: readonly string[] }>();
/** The sorted lists `orders` holds: handed out again for the same keys. */
const keptOrders = new WeakSet<readonly string[]>();

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The released fields as the record lists them. A query asked again releases the same fields
 * (sortedKeys hands back the same sorted list for them): the list made for them before is used
 * again if every field still has the same owner, settled (canonical-json.ts) so that its JSON is
 * written once, not in every record.
 */
function releasedList(map: ReadonlyMap<string, string>): AuditEntry["released"] {
  const fields = sortedKeys(map);
  const kept = releasedLists.get(fields);
  if (kept?.every((r) => map.get(r.field) === r.agency)) return kept;
  const list = fields.map((field) => ({ agency: map.get(field) as string, field }));
  // Only a list sortedKeys keeps can be met again; the rest would be written twice for nothing.
  if (keptOrders.has(fields)) releasedLists.set(fields, settled(list));
  return list;
}
const releasedLists = new WeakMap<readonly string[], AuditEntry["released"]>();

/** Query texts repeat (clients send a few operations): their hashes are kept, a few of them. */
const queryHashes = new Map<string, string>();
const HASHES_KEPT = 256;
/** Longer texts are hashed each time, so what is kept stays small. */
const LONGEST_KEPT = 16_384;

function queryHashOf(text: string): string {
  let hash = queryHashes.get(text);
  if (hash !== undefined) return hash;
  hash = sha256(text);
  if (text.length <= LONGEST_KEPT) {
    if (queryHashes.size >= HASHES_KEPT)
      queryHashes.delete(queryHashes.keys().next().value as string);
    queryHashes.set(text, hash);
  }
  return hash;
}

/**
 * A set of subjects sorted, as `[...set].sort()` sorts it, from the request's subjects already
 * sorted: an agency's people are most often all of them or most of them, and picking them out
 * of the sorted list costs a look-up each rather than a sort. A set with any other member (not
 * one of the request's subjects) is sorted itself.
 */
function sortedSubset(set: ReadonlySet<string>, all: readonly string[]): string[] {
  if (set.size === all.length && all.every((s) => set.has(s))) return all.slice();
  const picked = all.filter((s) => set.has(s));
  return picked.length === set.size ? picked : [...set].sort();
}

// Objects of the record are made with their keys in sorted order, so its canonical JSON
// (canonical-json.ts) writes its lists without sorting them.
const bySubject = (map: ReadonlyMap<string, Set<string>>, all: readonly string[]) =>
  sortedKeys(map).map((agency) => ({
    agency,
    subjects: sortedSubset(map.get(agency) as Set<string>, all),
  }));

/** The audit entry for a request the authorizing gateway answered. */
export function auditEntry(options: {
  context: Pick<GatewayContext, "requestId" | "principal" | "enquiryId" | "breakGlassReason">;
  answered: AnsweredRequest;
  now?: Date;
}): AuditEntry {
  const { context, answered } = options;
  const collector = answered.collected as AuditCollector | undefined;
  const released = collector ? releasedList(collector.released) : [];
  const withheld: AuditEntry["withheld"] = [];
  if (collector)
    for (const field of sortedKeys(collector.withheld)) {
      const { agency, rules } = collector.withheld.get(field) as {
        agency: string;
        rules: Set<string>;
      };
      for (const rule of [...rules].sort()) withheld.push({ agency, field, rule });
    }
  const outcome: AuditOutcome = !answered.hasErrors
    ? "ok"
    : released.length > 0 && answered.hasData
      ? "partial"
      : "refused";
  const principal = context.principal;
  const subjects = collector ? [...collector.subjects].sort() : [];
  // In sorted order, so numberBatch and canonicalJson have no keys to sort.
  return {
    agency: principal?.agency ?? null,
    at: (options.now ?? new Date()).toISOString(),
    breakGlassReason: context.breakGlassReason ?? null,
    enquiryId: context.enquiryId ?? null,
    flagged: collector ? sortedSubset(collector.flagged, subjects) : [],
    held: collector ? bySubject(collector.held, subjects) : [],
    operationName: answered.operationName,
    outcome,
    queryHash: queryHashOf(answered.queryText),
    released,
    requestId: context.requestId,
    roles: [...(principal?.roles ?? [])].sort(),
    seen: collector ? bySubject(collector.seen, subjects) : [],
    subjects,
    userId: principal?.id ?? "(unauthenticated)",
    withheld,
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
    queryHash: queryHashOf(options.queryText ?? ""),
    subjects: [],
    released: [],
    withheld: [],
    refusal: options.code,
    outcome: "refused",
  };
}
