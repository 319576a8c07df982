import { defaultDataDir } from "@mash/kit/config";
import { ConfigError } from "@mash/kit/errors";
import type { JWK } from "jose";

type Env = Record<string, string | undefined>;

export interface IdentityConfig {
  /** "development" signs its own tokens for the fixture users; "external" trusts an identity provider. */
  mode: "development" | "external";
  issuer: string;
  audience: string;
  /** External mode: where the provider publishes its signing keys. */
  jwksUrl: URL | undefined;
  /** External mode with keys in configuration instead of a URL (MASH_AUTH_JWKS). */
  jwks?: { keys: JWK[] };
  /** How soon a token signed with an unknown key may make the gateway fetch the keys again. */
  jwksCooldownMs: number;
  /** Claim names that carry the user's display name, agency and roles. */
  claims: { name: string; agency: string; roles: string };
  dataDir: string;
  /**
   * External mode with MASH_AUTH_CLIENT_ID: the browser apps sign people in through the provider
   * themselves (authorization code with PKCE, as this public client).
   */
  browserClient?: BrowserClient;
}

export interface BrowserClient {
  clientId: string;
  /** Space-separated, "openid" among them (MASH_AUTH_SCOPES). */
  scopes: string;
}

export const DEFAULT_BROWSER_SCOPES = "openid profile offline_access";

export const DEV_ISSUER = "urn:mash-gateway:development";
export const DEFAULT_AUDIENCE = "mash-gateway";

/**
 * Where the gateway's files live (MASH_DATA_DIR): for tools that read them, such as the access log's
 * checks, which must not depend on how people sign in.
 */
export const gatewayDataDir = (env: Env): string => env.MASH_DATA_DIR || defaultDataDir;

const TRUST_A_PROVIDER =
  "set it (with MASH_AUTH_JWKS_URL or MASH_AUTH_JWKS) to trust an identity provider";

/**
 * `MASH_DEV_SIGN_IN`: `true` asks for development sign-in (the only way to have it when
 * NODE_ENV is production), `false` refuses it; unset, it is on without an identity provider
 * except in production.
 */
function devSignInFrom(env: Env): boolean | undefined {
  const raw = env.MASH_DEV_SIGN_IN;
  if (raw === undefined || raw === "") return undefined;
  if (raw === "true" || raw === "false") {
    if (raw === "true" && env.MASH_AUTH_ISSUER)
      throw new ConfigError(
        "MASH_DEV_SIGN_IN",
        "is true but MASH_AUTH_ISSUER is set: development sign-in is only offered without an identity provider; unset one of them",
      );
    return raw === "true";
  }
  throw new ConfigError("MASH_DEV_SIGN_IN", `"${raw}" is neither true nor false`);
}

/**
 * MASH_AUTH_CLIENT_ID and MASH_AUTH_SCOPES: the public client the browser apps sign in as. The
 * browser fetches the provider's discovery document from the issuer, so the issuer must be a URL
 * a browser may call: https, or http on a loopback host (a provider run for tests).
 */
function browserClientFrom(env: Env): BrowserClient | undefined {
  const clientId = env.MASH_AUTH_CLIENT_ID?.trim();
  if (!clientId) {
    if (env.MASH_AUTH_SCOPES)
      throw new ConfigError(
        "MASH_AUTH_SCOPES",
        "is set without MASH_AUTH_CLIENT_ID; set both or neither",
      );
    return undefined;
  }
  if (!env.MASH_AUTH_ISSUER)
    throw new ConfigError(
      "MASH_AUTH_CLIENT_ID",
      "is set without MASH_AUTH_ISSUER: browser sign-in needs the identity provider's issuer",
    );
  const issuer = URL.canParse(env.MASH_AUTH_ISSUER) ? new URL(env.MASH_AUTH_ISSUER) : undefined;
  const loopback = issuer && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
  if (!issuer || !(issuer.protocol === "https:" || (issuer.protocol === "http:" && loopback)))
    throw new ConfigError(
      "MASH_AUTH_ISSUER",
      `"${env.MASH_AUTH_ISSUER}" is not an https URL; with MASH_AUTH_CLIENT_ID the browser fetches the provider's discovery document from it`,
    );
  // /auth/config publishes the issuer to anyone: no credentials in it, and, as OIDC Discovery
  // requires of an issuer, no query or fragment.
  if (issuer.username || issuer.password || issuer.search || issuer.hash)
    throw new ConfigError(
      "MASH_AUTH_ISSUER",
      "must be a plain https URL (no user name, password, query or fragment) with MASH_AUTH_CLIENT_ID",
    );
  const scopes = (env.MASH_AUTH_SCOPES || DEFAULT_BROWSER_SCOPES).trim().split(/\s+/);
  if (!scopes.includes("openid"))
    throw new ConfigError(
      "MASH_AUTH_SCOPES",
      `"${env.MASH_AUTH_SCOPES}" lacks "openid": sign-in needs an ID token`,
    );
  return { clientId, scopes: scopes.join(" ") };
}

/**
 * How people sign in. With MASH_AUTH_ISSUER, through that identity provider; without it,
 * development sign-in (fixture users, tokens the gateway signs itself), which with
 * NODE_ENV=production must be asked for with MASH_DEV_SIGN_IN=true.
 */
export function loadIdentityConfig(env: Env): IdentityConfig {
  const claims = {
    name: env.MASH_AUTH_CLAIM_NAME || "name",
    agency: env.MASH_AUTH_CLAIM_AGENCY || "agency",
    roles: env.MASH_AUTH_CLAIM_ROLES || "roles",
  };
  const dataDir = gatewayDataDir(env);
  const audience = env.MASH_AUTH_AUDIENCE || DEFAULT_AUDIENCE;
  const devSignIn = devSignInFrom(env);
  const browserClient = browserClientFrom(env);
  if (!env.MASH_AUTH_ISSUER) {
    if (env.MASH_AUTH_JWKS_URL) {
      throw new ConfigError(
        "MASH_AUTH_JWKS_URL",
        "is set without MASH_AUTH_ISSUER; set both to trust an identity provider",
      );
    }
    if (devSignIn === false) {
      throw new ConfigError(
        "MASH_AUTH_ISSUER",
        `is not set and MASH_DEV_SIGN_IN is false, so nobody could sign in; ${TRUST_A_PROVIDER}`,
      );
    }
    // A gateway nobody can sign in to is no use, and one that silently lets anyone in as a
    // fixture user is unsafe: in production, development sign-in is only ever asked for.
    if (devSignIn === undefined && env.NODE_ENV === "production") {
      throw new ConfigError(
        "MASH_AUTH_ISSUER",
        `is required when NODE_ENV is production; ${TRUST_A_PROVIDER}, or set MASH_DEV_SIGN_IN=true to let anyone who reaches the gateway sign in as a fixture user (synthetic data only)`,
      );
    }
    return {
      mode: "development",
      issuer: DEV_ISSUER,
      audience,
      jwksUrl: undefined,
      jwksCooldownMs: 0,
      claims,
      dataDir,
    };
  }
  if (env.MASH_AUTH_JWKS) {
    // Keys given in configuration, for providers (or air-gapped networks) with no reachable JWKS URL.
    let parsed: { keys?: unknown };
    try {
      parsed = JSON.parse(env.MASH_AUTH_JWKS) as { keys?: unknown };
    } catch {
      throw new ConfigError(
        "MASH_AUTH_JWKS",
        'is not JSON; expected a JWK set such as {"keys": [...]}',
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new ConfigError("MASH_AUTH_JWKS", 'is not a JWK set such as {"keys": [...]}');
    if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) {
      throw new ConfigError("MASH_AUTH_JWKS", 'has no "keys" list');
    }
    if (parsed.keys.some((k) => typeof k !== "object" || k === null || "d" in k)) {
      throw new ConfigError(
        "MASH_AUTH_JWKS",
        "must hold public keys only (one has a private part, or is not a key)",
      );
    }
    return {
      mode: "external",
      issuer: env.MASH_AUTH_ISSUER,
      audience,
      jwksUrl: undefined,
      jwks: { keys: parsed.keys as JWK[] },
      jwksCooldownMs: 0,
      claims,
      dataDir,
      ...(browserClient ? { browserClient } : {}),
    };
  }
  if (!env.MASH_AUTH_JWKS_URL) {
    throw new ConfigError(
      "MASH_AUTH_JWKS_URL",
      `is required with MASH_AUTH_ISSUER (${env.MASH_AUTH_ISSUER}) unless MASH_AUTH_JWKS gives the keys: where the provider publishes its keys`,
    );
  }
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(env.MASH_AUTH_JWKS_URL);
  } catch {
    throw new ConfigError("MASH_AUTH_JWKS_URL", `"${env.MASH_AUTH_JWKS_URL}" is not a URL`);
  }
  const cooldown = Number(env.MASH_AUTH_JWKS_COOLDOWN_MS ?? 30_000);
  if (!Number.isFinite(cooldown) || cooldown < 0) {
    throw new ConfigError(
      "MASH_AUTH_JWKS_COOLDOWN_MS",
      `"${env.MASH_AUTH_JWKS_COOLDOWN_MS}" is not a number of milliseconds`,
    );
  }
  return {
    mode: "external",
    issuer: env.MASH_AUTH_ISSUER,
    audience,
    jwksUrl,
    jwksCooldownMs: cooldown,
    claims,
    dataDir,
    ...(browserClient ? { browserClient } : {}),
  };
}
