/**
 * The contexts a subgraph process has accepted, by `jti`, each kept until it could no longer
 * verify anyway (its lifetime and the clock skew after it was issued): a context seen again in
 * that time is a replay. Bounded: past `capacity` live contexts a new one is refused rather than
 * an old one forgotten, which would let that one be replayed.
 */
export interface ReplayGuard {
  /** "fresh" once per jti (and remembers it); "seen" after; "full" when none can be remembered. */
  admit(jti: string, until: number, now: number): "fresh" | "seen" | "full";
  readonly size: number;
}

/** Live contexts one process remembers: 100,000 in 15 s is over 6,000 requests a second. */
export const DEFAULT_REPLAY_CAPACITY = 100_000;

export function createReplayGuard(capacity = DEFAULT_REPLAY_CAPACITY): ReplayGuard {
  // Insertion order is close to expiry order (one lifetime for all), so expired entries are
  // dropped from the front; one issued by a gateway whose clock is behind waits a little longer.
  const live = new Map<string, number>();
  const forgetExpired = (now: number) => {
    for (const [jti, until] of live) {
      if (until > now) break;
      live.delete(jti);
    }
  };
  return {
    admit(jti, until, now) {
      forgetExpired(now);
      if (live.has(jti)) return "seen";
      if (live.size >= capacity) return "full";
      live.set(jti, until);
      return "fresh";
    },
    get size() {
      return live.size;
    },
  };
}
