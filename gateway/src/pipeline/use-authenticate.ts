import { RequestRefused } from "../errors/catalogue.ts";
import { AuthenticationError, type Verifier } from "../identity/verify.ts";
import type { RateLimiter } from "../limits/rate-limit.ts";
import type { Stage } from "./pipeline.ts";

export interface AuthenticateOptions {
  verify: Verifier;
  /**
   * Budgets for refusals to clients that are not signed in, by address: a flood of bad tokens
   * gets 429 once over it, and every one of them is counted into one aggregate record.
   */
  anonymous: RateLimiter;
}

const WWW_AUTHENTICATE = { "www-authenticate": 'Bearer realm="mash-gateway"' };

/** The bearer token, verified: who asks. Nothing past this stage runs for anyone unknown. */
export function useAuthenticate<C>(options: AuthenticateOptions): Stage<C> {
  return {
    name: "authenticate",
    async onRequest(request) {
      const header = request.req.headers.authorization;
      try {
        request.principal = await options.verify(header);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        const limited = await options.anonymous.refusal(request.address, "address not signed in");
        if (limited) throw limited;
        throw new RequestRefused("UNAUTHENTICATED", error.message, WWW_AUTHENTICATE);
      }
      return undefined;
    },
  };
}
