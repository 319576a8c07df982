import { createClient } from "redis";
import type { RateLimitConfig } from "./rate-limit-config.ts";
import type { RateLimitDecision, RateLimitStore } from "./rate-limit-store.ts";

export const REDIS_KEY_PREFIX = "mash:ratelimit:";

/**
 * The token bucket of `takeToken` in rate-limit.ts, run inside Redis so that reading, refilling
 * and spending a user's tokens is one atomic step for every gateway sharing the key. Redis's own
 * clock is used rather than each gateway's, so skew between gateway hosts cannot mint tokens.
 * The key expires once the bucket would be full again, when it carries no information.
 */
const TOKEN_BUCKET = `
if redis.replicate_commands then redis.replicate_commands() end
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * perMs)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1000)
return {allowed, wait}
`;

export interface RedisRateLimitStore extends RateLimitStore {
  /** Connected and able to take commands now. */
  readonly ready: boolean;
  /** Where, for logs: scheme, host and port, never the credentials a URL may carry. */
  readonly target: string;
}

export interface RedisStoreOptions {
  url: string;
  limits: Pick<RateLimitConfig, "perMinute" | "burst">;
  keyPrefix?: string;
  /** Longest a request waits for Redis before the caller counts in memory instead. */
  commandTimeoutMs?: number;
  onDown?: (problem: string) => void;
  onUp?: () => void;
}

/**
 * Connects in the background: the gateway starts, and serves, whether or not Redis is there yet.
 * Commands are not queued while disconnected (they would hold requests until Redis returned);
 * the caller sees `ready` false and counts elsewhere, while the client keeps reconnecting.
 */
export function createRedisStore(options: RedisStoreOptions): RedisRateLimitStore {
  const prefix = options.keyPrefix ?? REDIS_KEY_PREFIX;
  const timeoutMs = options.commandTimeoutMs ?? 500;
  const parsed = new URL(options.url);
  const target = `${parsed.protocol}//${parsed.host}`;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000),
    },
  });
  // Without a listener an 'error' event would throw and end the process.
  client.on("error", (error: Error) => options.onDown?.(error.message || String(error)));
  client.on("ready", () => options.onUp?.());
  let closed = false;
  const connecting = client.connect().catch((error: Error) => {
    if (!closed) options.onDown?.(error.message || String(error));
  });
  const burst = String(options.limits.burst);
  const perMs = String(options.limits.perMinute / 60_000);
  return {
    target,
    get ready() {
      return client.isReady;
    },
    async take(key: string): Promise<RateLimitDecision> {
      const reply = await client
        .withAbortSignal(AbortSignal.timeout(timeoutMs))
        .eval(TOKEN_BUCKET, { keys: [prefix + key], arguments: [burst, perMs] });
      if (!Array.isArray(reply) || reply.length !== 2)
        throw new Error(`unexpected reply from the rate limit script: ${JSON.stringify(reply)}`);
      return { allowed: Number(reply[0]) === 1, retryAfterMs: Number(reply[1]) };
    },
    async close() {
      closed = true;
      if (client.isOpen) await client.close().catch(() => client.destroy());
      else client.destroy();
      await connecting;
    },
  };
}
