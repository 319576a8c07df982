import type { QueryPlan } from "@apollo/query-planner";
import type { DocumentNode } from "graphql";
import { Lru, type LruOptions } from "../limits/lru.ts";

/**
 * A bounded Lru as Apollo's key-value cache interface (`KeyValueCache` plus `clear`, which
 * ApolloGateway calls when the schema changes), so Apollo's own stores are bounded as ours are.
 * Set options (a TTL) are ignored: nothing Apollo keeps here expires on its own.
 */
export interface BoundedStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  delete(key: string): Promise<boolean>;
  clear(): void;
  /** Keys, least recently used first. */
  keys(): string[];
  readonly size: number;
  readonly totalSize: number;
}

export function boundedStore<V>(options: LruOptions<V>): BoundedStore<V> {
  const lru = new Lru<string, V>(options);
  return {
    get: async (key) => lru.get(key),
    set: async (key, value) => {
      lru.set(key, value);
    },
    delete: async (key) => lru.delete(key),
    clear: () => lru.clear(),
    keys: () => [...lru.keys()],
    get size() {
      return lru.size;
    },
    get totalSize() {
      return lru.totalSize;
    },
  };
}

/**
 * Parsed and validated documents Apollo Server keeps, by query text. Apollo's default is 30 MiB
 * measured as each document's JSON, which is about a quarter of what a parsed document holds
 * (its tokens and locations: ~55 bytes of heap per source character, measured on
 * SubjectOverview), so its 30 MiB is ~120 MB of heap. Measured in source characters instead
 * (cheap: no JSON.stringify per new document), 512 Ki characters is ~28 MB at most, and 512
 * documents hold the contract's operations many times over; a dropped one is parsed again.
 */
export const MAX_DOCUMENTS = 512;
export const MAX_DOCUMENT_CHARS = 512 * 1024;

export const documentStore = (
  bounds: { max?: number; maxSize?: number } = {},
): BoundedStore<DocumentNode> =>
  boundedStore<DocumentNode>({
    max: bounds.max ?? MAX_DOCUMENTS,
    maxSize: bounds.maxSize ?? MAX_DOCUMENT_CHARS,
    sizeOf: (document) => document.loc?.source.body.length ?? JSON.stringify(document).length,
  });

/**
 * Query plans ApolloGateway keeps, by document and operation name. Its default is 30 MiB of
 * plans' JSON; a plan is mostly its fetches' operation strings, so its heap is close to that
 * JSON. The authorizing gateway plans rewritten documents (one per role set and document), so
 * there are more plans than client documents: 1,024 plans within 16 MiB of JSON, measured as
 * Apollo measures it. A dropped plan is planned again.
 */
export const MAX_QUERY_PLANS = 1024;
export const MAX_QUERY_PLAN_BYTES = 16 * 1024 * 1024;

export const queryPlanStore = (
  bounds: { max?: number; maxSize?: number } = {},
): BoundedStore<QueryPlan> =>
  boundedStore<QueryPlan>({
    max: bounds.max ?? MAX_QUERY_PLANS,
    maxSize: bounds.maxSize ?? MAX_QUERY_PLAN_BYTES,
    sizeOf: (plan) => Buffer.byteLength(JSON.stringify(plan), "utf8"),
  });
