import type { OidcClientConfig } from "@mash/client-kit/auth-config";
import type { ProviderMetadata } from "./discovery.ts";
import { checkIdToken, type SignedInUser, userFromClaims } from "./id-token.ts";

export type Fetch = typeof fetch;

export interface TokenSet {
  /** `Bearer <access token>`, for the Authorization header. */
  readonly authorization: string;
  readonly idToken: string;
  readonly refreshToken?: string;
  /** When the access token expires, in milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly user: SignedInUser;
}

/** The token endpoint's refusal, with what renewal needs to tell a dead grant from a hiccup. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or undefined when the endpoint could not be reached. */
    readonly status?: number,
    /** The OAuth `error` code of the answer, when it gave one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "TokenEndpointError";
  }
}

/** A POST to the token endpoint; its JSON answer, or TokenEndpointError. */
export async function tokenRequest(
  metadata: ProviderMetadata,
  body: URLSearchParams,
  fetcher: Fetch,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetcher(metadata.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      // The provider's cookies have no business with a token request from this origin.
      credentials: "omit",
    });
  } catch (error) {
    throw new TokenEndpointError(
      `Could not reach the identity provider's token endpoint: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const answer: unknown = await response.json().catch(() => undefined);
  const record =
    typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>) : {};
  if (!response.ok) {
    const why = [record.error, record.error_description].filter((part) => typeof part === "string");
    throw new TokenEndpointError(
      `The identity provider refused the token request (HTTP ${response.status}${why.length ? `: ${why.join(": ")}` : ""})`,
      response.status,
      typeof record.error === "string" ? record.error : undefined,
    );
  }
  return record;
}

/** The tokens of an answer, its ID token checked (checkIdToken) against what was expected. */
export function tokenSetFrom(
  answer: Record<string, unknown>,
  config: OidcClientConfig,
  expected: { nonce?: string; subject?: string; previous?: TokenSet },
  now: number,
): TokenSet {
  const {
    access_token: access,
    id_token: fresh,
    refresh_token: refresh,
    token_type: type,
  } = answer;
  if (typeof access !== "string" || access === "")
    throw new Error("The identity provider's answer has no access token");
  if (typeof type === "string" && type.toLowerCase() !== "bearer")
    throw new Error(`The identity provider issued a ${type} token, not a Bearer token`);
  const idToken = typeof fresh === "string" ? fresh : expected.previous?.idToken;
  if (!idToken) throw new Error("The identity provider's answer has no ID token (scope openid?)");
  const claims = checkIdToken(idToken, {
    issuer: config.issuer,
    clientId: config.clientId,
    nonce: typeof fresh === "string" ? expected.nonce : undefined,
    subject: expected.subject,
    now: typeof fresh === "string" ? now : Number.NEGATIVE_INFINITY,
  });
  const lifetime = typeof answer.expires_in === "number" ? answer.expires_in : undefined;
  // Without expires_in, a renewal that kept the old ID token has only that token's exp, which may
  // be past: the previous estimate is kept rather than one that asks for renewal at once.
  const expiresAt =
    lifetime !== undefined
      ? now + lifetime * 1000
      : typeof fresh !== "string" && expected.previous
        ? expected.previous.expiresAt
        : Number(claims.exp) * 1000;
  // With rotation the provider sends a new refresh token and the old one is spent; without, the
  // old one stays good.
  const refreshToken = typeof refresh === "string" ? refresh : expected.previous?.refreshToken;
  return {
    authorization: `Bearer ${access}`,
    idToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt,
    user: userFromClaims(claims, config.claims),
  };
}
