import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TokenEndpointError, type TokenSet } from "./oidc.ts";
import {
  MIN_RENEWAL_DELAY,
  type RenewalHooks,
  renewalIsHopeless,
  retryDelay,
  scheduleRenewal,
} from "./renewal.ts";

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const tokens = (expiresIn: number, refreshToken = "refresh-1"): TokenSet => ({
  authorization: "Bearer access-1",
  idToken: "id.token.sig",
  refreshToken,
  expiresAt: Date.now() + expiresIn,
  user: { id: "sw.patel", name: "Priya Patel", roles: ["social_worker"] },
});
const renewedTokens = (from: TokenSet): TokenSet => ({
  ...from,
  authorization: "Bearer access-2",
  refreshToken: "refresh-2",
  expiresAt: Date.now() + 300_000,
});

/** Hooks that record what happened; `answers` are the renewal outcomes, in order. */
function recorder(answers: ((current: TokenSet) => Promise<TokenSet>)[]) {
  const renewAt: number[] = [];
  const renewed: TokenSet[] = [];
  const expired: { at: number; why?: string }[] = [];
  const hooks: RenewalHooks = {
    renew: (current) => {
      renewAt.push(Date.now() - NOW);
      const answer = answers.shift();
      return answer ? answer(current) : Promise.reject(new Error("no more answers"));
    },
    renewed: (next) => void renewed.push(next),
    expired: (why) => void expired.push({ at: Date.now() - NOW, why }),
  };
  return { hooks, renewAt, renewed, expired };
}

const offline = () => Promise.reject(new TokenEndpointError("Could not reach the token endpoint"));
const dead = () =>
  Promise.reject(new TokenEndpointError("refused (HTTP 400: invalid_grant)", 400, "invalid_grant"));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("renewal", () => {
  it("tells a dead grant from a passing failure", () => {
    expect(renewalIsHopeless(new TokenEndpointError("x", 400, "invalid_grant"))).toBe(true);
    expect(renewalIsHopeless(new TokenEndpointError("x", 401))).toBe(true);
    expect(renewalIsHopeless(new TokenEndpointError("x", 503))).toBe(false);
    expect(renewalIsHopeless(new TokenEndpointError("x"))).toBe(false);
    expect(renewalIsHopeless(new Error("discovery down"))).toBe(false);
    expect([1, 2, 3, 10].map(retryDelay)).toEqual([2_000, 4_000, 8_000, 60_000]);
  });

  it("retries a passing failure with backoff, and carries on once it works", async () => {
    const current = tokens(120_000);
    const { hooks, renewAt, renewed, expired } = recorder([
      offline,
      offline,
      async (from) => renewedTokens(from),
    ]);
    scheduleRenewal(current, hooks);
    await vi.advanceTimersByTimeAsync(120_000);
    // Due a quarter of the life before expiry (90 s), then 2 s and 4 s later.
    expect(renewAt).toEqual([90_000, 92_000, 96_000]);
    expect(renewed.map((next) => next.refreshToken)).toEqual(["refresh-2"]);
    expect(expired).toEqual([]);
  });

  it("gives up at once on invalid_grant, telling the user at expiry", async () => {
    const { hooks, renewAt, expired } = recorder([dead, offline]);
    scheduleRenewal(tokens(120_000), hooks);
    await vi.advanceTimersByTimeAsync(200_000);
    expect(renewAt).toEqual([90_000]);
    expect(expired).toEqual([{ at: 120_000, why: "refused (HTTP 400: invalid_grant)" }]);
  });

  it("stops retrying when the next try would come after expiry", async () => {
    const { hooks, renewAt, expired } = recorder(Array(20).fill(offline));
    scheduleRenewal(tokens(40_000), hooks);
    await vi.advanceTimersByTimeAsync(100_000);
    // 30 s, then +2, +4: the next (+8 = 44 s) would be past the 40 s expiry.
    expect(renewAt).toEqual([30_000, 32_000, 36_000]);
    expect(expired).toEqual([{ at: 40_000, why: "Could not reach the token endpoint" }]);
  });

  it("waits at least five seconds, however near the expiry", async () => {
    const { hooks, renewAt } = recorder([async (from) => renewedTokens(from)]);
    // An expiry already past (an old ID token's exp, say) asks for no renewal at once.
    scheduleRenewal(tokens(-1_000), hooks);
    await vi.advanceTimersByTimeAsync(MIN_RENEWAL_DELAY - 1);
    expect(renewAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(renewAt).toEqual([MIN_RENEWAL_DELAY]);
  });

  it("expires without a refresh token, and stop hands over the renewal under way", async () => {
    const { hooks, expired } = recorder([]);
    scheduleRenewal({ ...tokens(10_000), refreshToken: undefined }, hooks);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(expired).toEqual([{ at: 10_000, why: undefined }]);

    let finish: (value: TokenSet) => void = () => undefined;
    const slow = recorder([() => new Promise<TokenSet>((resolve) => (finish = resolve))]);
    const current = tokens(120_000);
    const handle = scheduleRenewal(current, slow.hooks);
    await vi.advanceTimersByTimeAsync(90_000);
    const inFlight = handle.stop();
    expect(inFlight).toBeInstanceOf(Promise);
    finish(renewedTokens(current));
    await expect(inFlight).resolves.toMatchObject({ refreshToken: "refresh-2" });
    // Stopped: the renewed tokens are not taken, nor is anything scheduled after.
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(slow.renewed).toEqual([]);
    expect(slow.expired).toEqual([]);
  });
});
