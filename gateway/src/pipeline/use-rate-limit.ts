import type { RateLimiter } from "../limits/rate-limit.ts";
import type { Stage } from "./pipeline.ts";

/** A signed-in user's (or officer's) budget, before anything costly is done for them. */
export function useRateLimit<C>(limiter: RateLimiter, who: "user" | "officer"): Stage<C> {
  return {
    name: "rate limit",
    async onRequest(request) {
      const principal = request.principal;
      if (!principal) throw new Error("the rate limit runs after authentication");
      // Officers have a bucket of their own: governance traffic never spends a practitioner's.
      const refused = await limiter.refusal(
        who === "officer" ? `governance:${principal.id}` : principal.id,
        who,
      );
      if (refused) throw refused;
      return undefined;
    },
  };
}
