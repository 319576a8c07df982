// What both bucket stores (memory, Redis) answer, apart from the limiter that picks one: the
// Redis store implements it without importing the limiter that imports it.

export interface RateLimitDecision {
  allowed: boolean;
  /** How long until one more request would be allowed; 0 when this one was. */
  retryAfterMs: number;
}

/** Where buckets live. Both stores apply the same token bucket, so swapping them is invisible. */
export interface RateLimitStore {
  take(key: string): Promise<RateLimitDecision>;
  close(): Promise<void>;
}
