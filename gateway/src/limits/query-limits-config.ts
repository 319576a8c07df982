/**
 * How big one operation may be; each limit has a clear error naming it and the value found.
 * Apart from the rule (query-limits.ts) so that configuration loads no graphql.
 */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  /** Fields counted once each, times the length of the lists above them. */
  maxCost: number;
  /** Assumed list length when nothing in the query bounds it. */
  defaultListSize: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 20_000,
  defaultListSize: 10,
};
