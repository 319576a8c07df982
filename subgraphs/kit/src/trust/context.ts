import { randomUUID } from "node:crypto";
import { type JWTPayload, jwtVerify } from "jose";
import { bodyDigest } from "./body-digest.ts";
import type { CallerContext } from "./caller.ts";
import { callerFrom } from "./claims.ts";
import { signCompact } from "./compact-sign.ts";
import { CONTEXT_ALG, type ContextSigningKey, type ContextVerifyKeys } from "./keys.ts";
import { ContextRefused, refusalFrom, unknownKey } from "./refusal.ts";
import { createReplayGuard, DEFAULT_REPLAY_CAPACITY } from "./replay-guard.ts";

export type { ArgumentReach, CallerContext, FlagReach, SearchAccess } from "./caller.ts";
export { ContextRefused, type RefusalReason, type RefusedContext } from "./refusal.ts";

/** The header that carries the signed context from the gateway to a subgraph. */
export const CONTEXT_HEADER = "x-mash-context";
export const CONTEXT_ISSUER = "mash-gateway";
/** The JOSE `typ`, so no other JWT signed by some key of ours passes for a context. */
export const CONTEXT_TYPE = "mash-context+jwt";
/**
 * A context is signed for one subgraph request just before it is sent, so it need only outlive
 * the trip; a token taken from the wire is useless seconds later (and, having been used, at once).
 */
export const CONTEXT_LIFETIME_SECONDS = 10;
/** How far the gateway's and a subgraph's clocks may disagree. */
export const CONTEXT_CLOCK_TOLERANCE_SECONDS = 5;
/** `sub` of the gateway's own requests (schema fetch, purpose lookups), made for no user. */
export const GATEWAY_SUBJECT = "mash-gateway";

/**
 * Signs `caller`'s context for one request to `audience`: bound to `body` (the exact bytes that
 * will be sent; "" for a request without one) by its digest, and made once by a random `jti`.
 * The claims, their order and the header are SignJWT's; the signature is node:crypto's
 * (compact-sign.ts), which a subgraph verifies with jose as before.
 */
export async function signContext(
  key: ContextSigningKey,
  audience: string,
  caller: CallerContext,
  body: string | Uint8Array,
  /** Seconds since the epoch; for tests of expiry. */
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  // What SignJWT's setters check before they set a claim.
  if (typeof caller.sub !== "string" || typeof audience !== "string" || !Number.isFinite(now))
    throw new TypeError("A context needs a string sub and audience and a finite time.");
  return signCompact(key, CONTEXT_TYPE, {
    roles: caller.roles,
    ...(caller.agency !== undefined ? { agency: caller.agency } : {}),
    ...(caller.enquiry !== undefined ? { enquiry: caller.enquiry } : {}),
    rid: caller.rid,
    ...(caller.search !== undefined ? { search: caller.search } : {}),
    bdy: bodyDigest(body),
    sub: caller.sub,
    iss: CONTEXT_ISSUER,
    aud: audience,
    jti: randomUUID(),
    iat: now,
    exp: now + CONTEXT_LIFETIME_SECONDS,
  });
}

/** A context that verified for the request it came with, and what identifies that request. */
export interface VerifiedContext {
  caller: CallerContext;
  /** The context's own id: one request, never accepted again. */
  jti: string;
  /** The digest of the body received (the `bdy` it was signed for). */
  bodyDigest: string;
}

/**
 * Verifies the X-MASH-Context of one request against the body that came with it; throws
 * ContextRefused. The verifier remembers every context it accepts for as long as it could verify.
 */
export type ContextVerifier = (
  header: string | undefined,
  body: string | Uint8Array,
) => Promise<VerifiedContext>;

const MAX_TOKEN_CHARS = 8192;
const JTI = /^[A-Za-z0-9_-]{16,64}$/;

/** Verifies contexts addressed to `audience` (this subgraph's name) against the trusted keys. */
export function createContextVerifier(
  keys: ContextVerifyKeys,
  audience: string,
  options: { currentDate?: () => Date; replayCapacity?: number } = {},
): ContextVerifier {
  const replays = createReplayGuard(options.replayCapacity ?? DEFAULT_REPLAY_CAPACITY);
  return async (header, body) => {
    const token = header?.trim();
    if (!token)
      throw new ContextRefused(
        "missing",
        "This subgraph answers only the MASH gateway: the request carries no X-MASH-Context.",
      );
    if (token.length > MAX_TOKEN_CHARS)
      throw new ContextRefused("malformed", "X-MASH-Context is too long to be a gateway context.");
    const currentDate = options.currentDate?.();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (protectedHeader) => {
          const key = protectedHeader.kid === undefined ? undefined : keys.get(protectedHeader.kid);
          if (!key) throw unknownKey(protectedHeader.kid);
          return key;
        },
        {
          algorithms: [CONTEXT_ALG],
          typ: CONTEXT_TYPE,
          issuer: CONTEXT_ISSUER,
          audience,
          clockTolerance: CONTEXT_CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: CONTEXT_LIFETIME_SECONDS,
          requiredClaims: ["sub", "iat", "exp", "rid", "jti", "bdy"],
          currentDate,
        },
      ));
    } catch (error) {
      throw refusalFrom(error, audience);
    }
    const caller = callerFrom(payload);
    const { jti, bdy, iat, exp } = payload as JWTPayload & { bdy?: unknown };
    if (typeof jti !== "string" || !JTI.test(jti))
      throw new ContextRefused("claims", 'X-MASH-Context has an unacceptable "jti" claim.');
    const seen = { rid: caller.rid, jti, sub: caller.sub };
    const received = bodyDigest(body);
    if (bdy !== received)
      throw new ContextRefused(
        "body",
        "X-MASH-Context was signed for another request body than this one.",
        seen,
      );
    // Remembered until it could no longer verify: expiry or maximum age, whichever is first.
    const lastValid = Math.min(exp as number, (iat as number) + CONTEXT_LIFETIME_SECONDS);
    const until = (lastValid + CONTEXT_CLOCK_TOLERANCE_SECONDS) * 1000;
    const admitted = replays.admit(jti, until, (currentDate ?? new Date()).getTime());
    if (admitted === "seen")
      throw new ContextRefused(
        "replayed",
        "X-MASH-Context was used before; the gateway signs a fresh one for every request.",
        seen,
      );
    if (admitted === "full")
      throw new ContextRefused(
        "overloaded",
        "This subgraph has too many requests in flight to check this one for replay; try again shortly.",
        seen,
      );
    return { caller, jti, bodyDigest: received };
  };
}
