import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  jwtVerify,
} from "jose";
import type { Principal } from "../request/context.ts";
import type { IdentityConfig } from "./config.ts";
import { loadDevSigningKey } from "./dev-keys.ts";

export type { Principal };

/** Why a request is not authenticated; safe to show (never the token itself). */
export class AuthenticationError extends Error {
  readonly status = 401;
}

/** Only asymmetric algorithms: "none" and shared-secret HMAC are never accepted. */
const ALGORITHMS = ["ES256", "ES384", "RS256", "PS256", "EdDSA"];

export type Verifier = (authorization: string | undefined) => Promise<Principal>;

export async function createVerifier(config: IdentityConfig): Promise<Verifier> {
  const key: CryptoKey | ReturnType<typeof createRemoteJWKSet> =
    config.mode === "development"
      ? (await loadDevSigningKey(config.dataDir)).publicKey
      : config.jwks
        ? // Both key-set kinds are (header, token) => key functions; the remote one only adds
          // refresh controls, which a configured set has no use for.
          (createLocalJWKSet(config.jwks) as unknown as ReturnType<typeof createRemoteJWKSet>)
        : createRemoteJWKSet(config.jwksUrl as URL, {
            // Keys are cached for 10 minutes; a token with a key id not seen yet fetches them again
            // (key rotation), at most once per cooldown so forged key ids cannot hammer the provider.
            cooldownDuration: config.jwksCooldownMs,
            cacheMaxAge: 600_000,
          });

  const claim = (payload: JWTPayload, name: string) => payload[name];

  return async (authorization) => {
    if (!authorization)
      throw new AuthenticationError(
        "Sign in: the request has no Authorization header (Bearer token).",
      );
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/.exec(
      authorization,
    );
    if (!match) throw new AuthenticationError('The Authorization header is not "Bearer <JWT>".');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1] as string, key as CryptoKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 30,
        requiredClaims: ["sub", "exp"],
      }));
    } catch (error) {
      throw new AuthenticationError(describe(error));
    }
    const roles = claim(payload, config.claims.roles);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === "string")) {
      throw new AuthenticationError(
        `The token's "${config.claims.roles}" claim is not a list of roles.`,
      );
    }
    const agency = claim(payload, config.claims.agency);
    const name = claim(payload, config.claims.name);
    return {
      id: payload.sub as string,
      name: typeof name === "string" ? name : (payload.sub as string),
      agency: typeof agency === "string" ? agency : undefined,
      roles,
    };
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The token has expired; sign in again.";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return "The token is not valid yet.";
    if (error.claim === "iss")
      return "The token was not issued by the identity provider this gateway trusts.";
    if (error.claim === "aud") return "The token is not meant for this gateway (audience).";
    return `The token's "${error.claim}" claim is not acceptable: ${error.reason}.`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return "The token's signing algorithm is not accepted.";
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "The token's signature does not verify.";
  if (error instanceof errors.JWKSNoMatchingKey)
    return "The token was signed with a key the identity provider does not publish.";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return "The token is malformed.";
  if (error instanceof errors.JOSEError) return "The token could not be verified.";
  return "The token could not be verified.";
}
