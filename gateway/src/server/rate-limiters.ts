import type { Logger } from "@mash/kit";
import type { GatewayConfig } from "../config.ts";
import { createRateLimiter } from "../limits/rate-limit.ts";

/**
 * The three budgets: each signed-in user's, each officer's on the governance API, and each
 * address's refusals while not signed in. The same store (Redis when configured), own keys.
 */
export function createRateLimiters(
  config: Pick<GatewayConfig, "rateLimit" | "anonymousRateLimit" | "governanceRateLimit">,
  logger: Logger,
) {
  const users = createRateLimiter(config.rateLimit, logger);
  const anonymous = createRateLimiter(
    { ...config.rateLimit, ...config.anonymousRateLimit },
    logger,
    {
      redisKeyPrefix: "mash:ratelimit:anonymous:",
    },
  );
  const officers = createRateLimiter(
    { ...config.rateLimit, ...config.governanceRateLimit },
    logger,
    {
      redisKeyPrefix: "mash:ratelimit:governance:",
    },
  );
  return {
    users,
    anonymous,
    officers,
    async close() {
      await Promise.all([users.close(), anonymous.close(), officers.close()]);
    },
  };
}

export type RateLimiters = ReturnType<typeof createRateLimiters>;
