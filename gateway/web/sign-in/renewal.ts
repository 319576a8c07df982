/**
 * Keeping a sign-in alive: renewal with the refresh token before the access token lapses,
 * retried with backoff while the token in hand still works, and given up at once when the
 * provider says the grant is dead.
 */
import { renewalDue, TokenEndpointError, type TokenSet } from "./oidc.ts";

/** No renewal sooner than this after the last: a provider's odd lifetimes cannot make a loop. */
export const MIN_RENEWAL_DELAY = 5_000;
const FIRST_RETRY = 2_000;
const LONGEST_RETRY = 60_000;

/** How long to wait before retry number `attempt` (1, 2, …): doubling, at most a minute. */
export const retryDelay = (attempt: number): number =>
  Math.min(LONGEST_RETRY, FIRST_RETRY * 2 ** (attempt - 1));

/**
 * Whether a renewal error means the refresh token will never work again: the provider said
 * invalid_grant, or refused the request as bad (400) or the client as unknown (401). Anything
 * else (no network, a 5xx, a 429) may pass.
 */
export function renewalIsHopeless(error: unknown): boolean {
  if (!(error instanceof TokenEndpointError)) return false;
  return error.code === "invalid_grant" || error.status === 400 || error.status === 401;
}

export interface RenewalHooks {
  /** Asks the provider for new tokens. */
  renew(tokens: TokenSet): Promise<TokenSet>;
  renewed(tokens: TokenSet): void;
  /** The access token has lapsed and will not be renewed; `why` is the last renewal error. */
  expired(why?: string): void;
}

export interface RenewalHandle {
  /** Stops renewing; returns the renewal under way, if any, whose tokens the caller must revoke. */
  stop(): Promise<TokenSet> | undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Renews `tokens` when due (at most once), or reports expiry when it cannot. */
export function scheduleRenewal(
  tokens: TokenSet,
  hooks: RenewalHooks,
  now: () => number = Date.now,
): RenewalHandle {
  let live = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<TokenSet> | undefined;
  const at = (when: number, run: () => void) => {
    timer = setTimeout(run, Math.max(0, when - now()));
  };
  const expire = (why?: string) =>
    at(tokens.expiresAt, () => {
      if (live) hooks.expired(why);
    });
  const attempt = (count: number) => {
    const renewal = hooks.renew(tokens);
    inFlight = renewal;
    renewal.then(
      (renewed) => {
        inFlight = undefined;
        if (live) hooks.renewed(renewed);
      },
      (error: unknown) => {
        inFlight = undefined;
        if (!live) return;
        const retryAt = now() + retryDelay(count);
        // The token in hand still works until it expires; then the user is told why.
        if (renewalIsHopeless(error) || retryAt >= tokens.expiresAt) expire(messageOf(error));
        else at(retryAt, () => attempt(count + 1));
      },
    );
  };
  if (!tokens.refreshToken) expire();
  else at(Math.max(renewalDue(tokens, now()), now() + MIN_RENEWAL_DELAY), () => attempt(1));
  return {
    stop() {
      live = false;
      clearTimeout(timer);
      return inFlight;
    },
  };
}
