import { errors } from "jose";
import { CONTEXT_ALG } from "./keys.ts";

export type RefusalReason =
  | "missing"
  | "malformed"
  | "algorithm"
  | "unknown-key"
  | "signature"
  | "expired"
  | "audience"
  | "claims"
  /** The context was signed for another request body than the one that came with it. */
  | "body"
  /** The context was used before: each is good for the one request it was signed for. */
  | "replayed"
  /** Too many contexts still live to remember another; refused rather than unchecked. */
  | "overloaded";

/**
 * What a context that verified said, when it is refused anyway (another body, used before): the
 * gateway signed these, so they may be recorded. Absent when the signature itself failed.
 */
export interface RefusedContext {
  rid: string;
  jti: string;
  sub: string;
}

/** Why a subgraph refuses a request; the message is safe to return and never quotes the token. */
export class ContextRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly context?: RefusedContext,
  ) {
    super(message);
    this.name = "ContextRefused";
  }
}

export function unknownKey(kid: string | undefined): ContextRefused {
  const named = kid !== undefined && /^[A-Za-z0-9._-]{1,64}$/.test(kid) ? `"${kid}"` : "none given";
  return new ContextRefused(
    "unknown-key",
    `X-MASH-Context is signed with a key this subgraph does not trust (kid ${named}); check MASH_CONTEXT_VERIFY_KEYS.`,
  );
}

/** A jose verification failure as the refusal a subgraph answers with. */
export function refusalFrom(error: unknown, audience: string): ContextRefused {
  if (error instanceof ContextRefused) return error;
  if (error instanceof errors.JWTExpired)
    return new ContextRefused(
      "expired",
      "X-MASH-Context has expired; the gateway signs a fresh one for every request.",
    );
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud")
      return new ContextRefused(
        "audience",
        `X-MASH-Context is addressed to another subgraph, not "${audience}".`,
      );
    if (error.claim === "iat" && error.reason === "check_failed")
      return new ContextRefused(
        "claims",
        "X-MASH-Context is issued in the future; check the gateway's and this subgraph's clocks.",
      );
    return new ContextRefused(
      "claims",
      `X-MASH-Context has an unacceptable "${error.claim}" claim (${error.reason}).`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new ContextRefused(
      "algorithm",
      `X-MASH-Context must be signed with ${CONTEXT_ALG}; no other algorithm (nor none) is accepted.`,
    );
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new ContextRefused(
      "signature",
      "X-MASH-Context does not verify: it was altered, or not signed by the gateway.",
    );
  return new ContextRefused("malformed", "X-MASH-Context is not a signed gateway context.");
}
