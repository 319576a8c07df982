/** The rate limit's settings, apart from the limiter so that configuration loads no Redis client. */
export interface RateLimitConfig {
  /** Sustained requests a user may make per minute: the bucket's refill rate. */
  perMinute: number;
  /** Requests a user may make at once after a quiet spell: the bucket's size. */
  burst: number;
  /** Share the budget between gateways through this Redis; each gateway counts alone without it. */
  redisUrl: string | undefined;
}

export const defaultRateLimit: RateLimitConfig = {
  perMinute: 300,
  burst: 60,
  redisUrl: undefined,
};
