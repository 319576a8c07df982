import type { Logger } from "@mash/kit";
import { RequestRefused } from "../errors/catalogue.ts";
import type { RateLimitConfig } from "./rate-limit-config.ts";
import { createRedisStore, type RedisRateLimitStore } from "./rate-limit-redis.ts";
import type { RateLimitDecision, RateLimitStore } from "./rate-limit-store.ts";

export { defaultRateLimit, type RateLimitConfig } from "./rate-limit-config.ts";
export type { RateLimitDecision, RateLimitStore } from "./rate-limit-store.ts";

export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, on the store's clock (ms). */
  updatedMs: number;
}

/**
 * One request against a bucket, refilled for the time since it was last touched. Shared by the
 * in-memory store and mirrored by the Redis script, so both give the same answers.
 */
export function takeToken(
  bucket: Bucket | undefined,
  nowMs: number,
  limits: Pick<RateLimitConfig, "perMinute" | "burst">,
): { bucket: Bucket; decision: RateLimitDecision } {
  const perMs = limits.perMinute / 60_000;
  const elapsed = bucket ? Math.max(0, nowMs - bucket.updatedMs) : 0;
  const tokens = Math.min(limits.burst, bucket ? bucket.tokens + elapsed * perMs : limits.burst);
  if (tokens >= 1) {
    return {
      bucket: { tokens: tokens - 1, updatedMs: nowMs },
      decision: { allowed: true, retryAfterMs: 0 },
    };
  }
  return {
    bucket: { tokens, updatedMs: nowMs },
    decision: { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) },
  };
}

/** A bucket that has refilled completely says nothing an absent one would not: it can go. */
function isFull(bucket: Bucket, nowMs: number, limits: RateLimitConfig): boolean {
  const perMs = limits.perMinute / 60_000;
  return bucket.tokens + (nowMs - bucket.updatedMs) * perMs >= limits.burst;
}

export interface MemoryStoreOptions {
  /** Most users tracked at once; beyond it the least recently seen is forgotten. */
  maxKeys?: number;
  /** Monotonic milliseconds; tests pass their own. */
  now?: () => number;
}

/**
 * Buckets in a Map kept in least-recently-used order (each take re-inserts its key), so the
 * oldest entries are at the front: each take drops full buckets from there, which keeps the map
 * to the users active in the last burst/perMinute minutes without a timer. When the bound is
 * reached anyway, the least recently seen user is forgotten; that user gets a fresh bucket, which
 * errs towards serving rather than refusing.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(
    private readonly limits: RateLimitConfig,
    options: MemoryStoreOptions = {},
  ) {
    this.maxKeys = options.maxKeys ?? 100_000;
    // Wall-clock jumps would refill or drain every bucket at once; performance.now never jumps.
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.buckets.size;
  }

  async take(key: string): Promise<RateLimitDecision> {
    return this.takeNow(key);
  }

  /** Synchronous, so concurrent requests of one user cannot interleave between read and write. */
  takeNow(key: string): RateLimitDecision {
    const now = this.now();
    this.evict(now, key);
    const current = this.buckets.get(key);
    const { bucket, decision } = takeToken(current, now, this.limits);
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    return decision;
  }

  private evict(now: number, keep: string): void {
    // A few per take is enough: the front is the longest idle, so it fills first.
    for (let i = 0; i < 8; i++) {
      const oldest = this.buckets.entries().next();
      if (oldest.done || oldest.value[0] === keep || !isFull(oldest.value[1], now, this.limits))
        break;
      this.buckets.delete(oldest.value[0]);
    }
    if (!this.buckets.has(keep)) {
      while (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next();
        if (oldest.done) break;
        this.buckets.delete(oldest.value);
      }
    }
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}

/**
 * Redis first, memory when Redis cannot answer. Refusing every request while Redis is down would
 * turn a cache outage into a hub outage, so this fails open to per-gateway counting: each gateway
 * then allows the full budget on its own (N gateways allow N times the rate) until Redis returns.
 * Each change of state is logged once, not every request.
 */
class FallbackStore implements RateLimitStore {
  private degraded = false;

  constructor(
    private readonly redis: RedisRateLimitStore,
    private readonly memory: MemoryRateLimitStore,
    private readonly logger: Logger,
  ) {}

  async take(key: string): Promise<RateLimitDecision> {
    if (this.redis.ready) {
      try {
        const decision = await this.redis.take(key);
        this.recovered();
        return decision;
      } catch (error) {
        this.degrade(error instanceof Error ? error.message : String(error));
      }
    } else {
      this.degrade("not connected");
    }
    return this.memory.take(key);
  }

  degrade(problem: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.error(
      "rate limit: Redis unavailable, counting in this gateway's memory until it returns",
      { redis: this.redis.target, problem },
    );
  }

  recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.info("rate limit: Redis available again, budgets shared between gateways", {
      redis: this.redis.target,
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.redis.close(), this.memory.close()]);
  }
}

export interface RateLimiter {
  readonly config: RateLimitConfig;
  /**
   * Counts one request against a bucket (a user, an officer, an address); over the limit, the
   * 429 refusal to answer with (Retry-After set), else undefined.
   */
  refusal(key: string, who?: string): Promise<RequestRefused | undefined>;
  close(): Promise<void>;
}

export function createRateLimiter(
  config: RateLimitConfig,
  logger: Logger,
  options: { store?: RateLimitStore; redisKeyPrefix?: string } = {},
): RateLimiter {
  const store = options.store ?? createStore(config, logger, options.redisKeyPrefix);
  return {
    config,
    async refusal(key, who = "user") {
      const decision = await store.take(key);
      if (decision.allowed) return undefined;
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      // Refusals are cheap and a misbehaving client makes many: debug, not a line per request.
      logger.debug("rate limited", { key, retryAfterSeconds: seconds });
      return new RequestRefused(
        "RATE_LIMITED",
        `Too many requests: ${config.perMinute} per minute for each ${who}. Try again in ${seconds} seconds.`,
        { "retry-after": String(seconds) },
      );
    },
    close: () => store.close(),
  };
}

function createStore(config: RateLimitConfig, logger: Logger, prefix?: string): RateLimitStore {
  const memory = new MemoryRateLimitStore(config);
  if (!config.redisUrl) return memory;
  let fallback: FallbackStore | undefined;
  const redis = createRedisStore({
    url: config.redisUrl,
    limits: config,
    keyPrefix: prefix,
    onDown: (problem) => fallback?.degrade(problem),
    onUp: () => fallback?.recovered(),
  });
  fallback = new FallbackStore(redis, memory, logger);
  return fallback;
}
