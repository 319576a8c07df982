import type { ClaimNames } from "@mash/client-kit/auth-config";

/** Who signed in, from the ID token: what the apps show and what they may offer. */
export interface SignedInUser {
  readonly id: string;
  readonly name: string;
  readonly agency?: string;
  readonly roles: readonly string[];
}

export type Claims = Readonly<Record<string, unknown>>;

/** The payload of a compact JWT, unverified: callers check what they rely on. */
export function decodeJwtPayload(jwt: string): Claims {
  const part = jwt.split(".")[1];
  if (!part) throw new Error("The ID token is not a JWT");
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
  const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    throw new Error("The ID token's payload is not a JSON object");
  return payload as Claims;
}

export interface IdTokenExpectations {
  readonly issuer: string;
  readonly clientId: string;
  /** The nonce sent with the authorization request; absent for a renewal's ID token. */
  readonly nonce?: string;
  /** The subject signed in before: a renewal must not change who is signed in. */
  readonly subject?: string;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

const SKEW_SECONDS = 60;

/**
 * The checks OpenID Connect Core 3.1.3.7 asks of a client given its ID token straight from the
 * token endpoint over TLS: issuer, audience, nonce, expiry. The signature is not checked here
 * (3.1.3.7 item 6 allows that over TLS); the gateway verifies the access token's signature on
 * every request, and it is the access token alone that carries any right.
 */
export function checkIdToken(idToken: string, expected: IdTokenExpectations): Claims {
  const claims = decodeJwtPayload(idToken);
  if (claims.iss !== expected.issuer)
    throw new Error(`The ID token was issued by ${String(claims.iss)}, not ${expected.issuer}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.clientId))
    throw new Error(`The ID token is not meant for this client (${expected.clientId})`);
  if (audiences.length > 1 && claims.azp !== expected.clientId)
    throw new Error("The ID token names several audiences but not this client as its azp");
  if (typeof claims.sub !== "string" || claims.sub === "")
    throw new Error("The ID token has no subject");
  if (expected.subject !== undefined && claims.sub !== expected.subject)
    throw new Error("The renewed ID token names another user");
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce)
    throw new Error("The ID token's nonce does not match this sign-in (a replayed answer?)");
  if (typeof claims.exp !== "number" || claims.exp + SKEW_SECONDS < expected.now / 1000)
    throw new Error("The ID token has expired");
  return claims;
}

/** The user as the gateway will see them, with the claim names it maps (MASH_AUTH_CLAIM_*). */
export function userFromClaims(claims: Claims, names: ClaimNames): SignedInUser {
  const id = String(claims.sub);
  const name = claims[names.name];
  const agency = claims[names.agency];
  const roles = claims[names.roles];
  return {
    id,
    name: typeof name === "string" && name ? name : id,
    ...(typeof agency === "string" ? { agency } : {}),
    roles: Array.isArray(roles)
      ? roles.filter((role): role is string => typeof role === "string")
      : [],
  };
}
