import type { Logger } from "@mash/kit";
import { describe, expect, it } from "vitest";
import {
  createRateLimiter,
  MemoryRateLimitStore,
  type RateLimitConfig,
  takeToken,
} from "./rate-limit.ts";

const limits: RateLimitConfig = { perMinute: 60, burst: 3, redisUrl: undefined };

function clocked(config = limits, maxKeys?: number) {
  let now = 1_000;
  const store = new MemoryRateLimitStore(config, { now: () => now, maxKeys });
  return {
    store,
    advance: (ms: number) => {
      now += ms;
    },
    takes: (key: string, n: number) => Array.from({ length: n }, () => store.takeNow(key).allowed),
  };
}

function recordingLogger() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, msg, fields });
    };
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
  return { logger, lines };
}

describe("token bucket", () => {
  it("allows a burst, then refills at the per-minute rate", () => {
    const { takes, advance } = clocked();
    expect(takes("sw.patel", 4)).toEqual([true, true, true, false]);
    advance(999);
    expect(takes("sw.patel", 1)).toEqual([false]);
    advance(1);
    expect(takes("sw.patel", 2)).toEqual([true, false]);
    // A long quiet spell refills to the burst, never beyond it.
    advance(60_000);
    expect(takes("sw.patel", 4)).toEqual([true, true, true, false]);
  });

  it("says how long until the next request would be allowed", () => {
    const { store, advance } = clocked();
    for (let i = 0; i < 3; i++) store.takeNow("u");
    expect(store.takeNow("u")).toEqual({ allowed: false, retryAfterMs: 1000 });
    advance(250);
    expect(store.takeNow("u")).toEqual({ allowed: false, retryAfterMs: 750 });
  });

  it("does not let refused requests drain the bucket further", () => {
    const first = takeToken(undefined, 0, { perMinute: 60, burst: 1 });
    const refused = takeToken(first.bucket, 500, { perMinute: 60, burst: 1 });
    expect(refused.decision.allowed).toBe(false);
    expect(takeToken(refused.bucket, 1000, { perMinute: 60, burst: 1 }).decision.allowed).toBe(
      true,
    );
  });

  it("keeps each user's budget to that user", () => {
    const { takes } = clocked();
    expect(takes("sw.patel", 4)).toEqual([true, true, true, false]);
    expect(takes("dc.jones", 3)).toEqual([true, true, true]);
    expect(takes("sw.patel", 1)).toEqual([false]);
  });
});

describe("in-memory store eviction", () => {
  it("forgets users whose buckets have refilled", () => {
    const { store, takes, advance } = clocked();
    takes("a", 1);
    takes("b", 3);
    takes("c", 2);
    expect(store.size).toBe(3);
    // a refills after 1 s, c after 2 s, b after 3 s: a and c are full, b is not yet.
    advance(2_500);
    takes("d", 1);
    // a goes; b, not yet full, ends the sweep, so c waits behind it: a few entries linger, none forever.
    expect(store.size).toBe(3);
    advance(1_000);
    takes("d", 1);
    expect(store.size).toBe(1);
  });

  it("stays within its bound, forgetting the least recently seen user", () => {
    const { store, takes } = clocked(limits, 2);
    takes("a", 3);
    takes("b", 3);
    takes("a", 1); // a is now the most recently seen
    takes("c", 1);
    expect(store.size).toBe(2);
    expect(takes("a", 1)).toEqual([false]); // remembered: still empty
    expect(takes("b", 1)).toEqual([true]); // forgotten: a fresh bucket
  });
});

describe("rate limiter", () => {
  it("answers 429 with Retry-After and a GraphQL-shaped error", async () => {
    const { logger } = recordingLogger();
    let now = 0;
    const store = new MemoryRateLimitStore(limits, { now: () => now });
    const limiter = createRateLimiter(limits, logger, { store });
    for (let i = 0; i < 3; i++) expect(await limiter.refusal("u")).toBeUndefined();
    now += 100;
    const refused = await limiter.refusal("u");
    expect(refused?.status).toBe(429);
    expect(refused?.headers["retry-after"]).toBe("1");
    expect(refused?.body()).toEqual({
      errors: [
        {
          message: "Too many requests: 60 per minute for each user. Try again in 1 seconds.",
          extensions: { code: "RATE_LIMITED" },
        },
      ],
    });
  });

  it("falls back to memory, logging once, when Redis cannot be reached", async () => {
    const { logger, lines } = recordingLogger();
    // Nothing listens on port 1; the password must not reach the log.
    const config = { ...limits, redisUrl: "redis://:hunter2@127.0.0.1:1" };
    const limiter = createRateLimiter(config, logger);
    try {
      const refused = [];
      for (let i = 0; i < 4; i++) refused.push((await limiter.refusal("u")) !== undefined);
      expect(refused).toEqual([false, false, false, true]);
      const errors = lines.filter((l) => l.level === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.msg).toMatch(/Redis unavailable, counting in this gateway's memory/);
      expect(errors[0]?.fields?.redis).toBe("redis://127.0.0.1:1");
      expect(JSON.stringify(lines)).not.toContain("hunter2");
    } finally {
      await limiter.close();
    }
  });
});
