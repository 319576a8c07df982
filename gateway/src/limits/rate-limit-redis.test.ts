import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createRedisStore, type RedisRateLimitStore } from "./rate-limit-redis.ts";

/** The Redis these tests use; the machine's local server by default. */
const testRedisUrl = process.env.MASH_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Null when Redis answers, else why not. */
async function redisProblem(): Promise<string | null> {
  const client = createClient({
    url: testRedisUrl,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    if (client.isOpen) await client.close();
  }
}

// As the PostgreSQL suites do (kit/src/testing/backends.ts): skip locally, fail in CI.
const problem = await redisProblem();
if (problem && process.env.CI === "true") {
  throw new Error(`CI=true but Redis at ${testRedisUrl} is not reachable: ${problem}`);
}
if (problem) {
  process.stderr.write(
    `Redis rate limit suite not run: ${testRedisUrl} is not reachable (${problem}). Set MASH_TEST_REDIS_URL to run it.\n`,
  );
}

describe.skipIf(problem !== null)("rate limit in Redis", () => {
  const admin = createClient({ url: testRedisUrl });
  const stores: RedisRateLimitStore[] = [];
  let prefix = "";

  /** A store as one gateway would have it, with this test's private key prefix. */
  async function gatewayStore(perMinute: number, burst: number) {
    const store = createRedisStore({
      url: testRedisUrl,
      limits: { perMinute, burst },
      keyPrefix: prefix,
    });
    stores.push(store);
    for (let i = 0; i < 100 && !store.ready; i++) await new Promise((r) => setTimeout(r, 20));
    expect(store.ready).toBe(true);
    return store;
  }

  const fresh = () => {
    prefix = `mash:test:${randomUUID()}:`;
  };

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    if (!admin.isOpen) await admin.connect();
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 }))
      keys.push(...batch);
    if (keys.length) await admin.del(keys);
  });

  afterAll(async () => {
    if (admin.isOpen) await admin.close();
  });

  it("shares one user's budget between gateways", async () => {
    fresh();
    const [a, b] = [await gatewayStore(6, 5), await gatewayStore(6, 5)];
    const allowed: boolean[] = [];
    // Concurrently, as two gateways would see them: the script makes each take atomic.
    const takes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).take("sw.patel")),
    );
    for (const t of takes) allowed.push(t.allowed);
    expect(allowed.filter(Boolean)).toHaveLength(5);
    const refused = takes.find((t) => !t.allowed);
    // 6 a minute is one every 10 s.
    expect(refused?.retryAfterMs).toBeGreaterThan(9_000);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(10_000);
    expect((await b.take("dc.jones")).allowed).toBe(true);
  });

  it("refills over time and expires keys it no longer needs", async () => {
    fresh();
    // 60,000 a minute: a token every millisecond.
    const store = await gatewayStore(60_000, 2);
    expect((await store.take("u")).allowed).toBe(true);
    expect((await store.take("u")).allowed).toBe(true);
    const refused = await store.take("u");
    if (!refused.allowed) expect(refused.retryAfterMs).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 10));
    expect((await store.take("u")).allowed).toBe(true);
    if (!admin.isOpen) await admin.connect();
    const ttl = await admin.pTTL(`${prefix}u`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_002);
  });
});
