import { ConfigError, defaultDataDir } from "@mash/kit";
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
}

export const DEV_ISSUER = "urn:mash-gateway:development";
export const DEFAULT_AUDIENCE = "mash-gateway";

export function loadIdentityConfig(env: Env = process.env): IdentityConfig {
  const claims = {
    name: env.MASH_AUTH_CLAIM_NAME || "name",
    agency: env.MASH_AUTH_CLAIM_AGENCY || "agency",
    roles: env.MASH_AUTH_CLAIM_ROLES || "roles",
  };
  const dataDir = env.MASH_DATA_DIR || defaultDataDir;
  const audience = env.MASH_AUTH_AUDIENCE || DEFAULT_AUDIENCE;
  if (!env.MASH_AUTH_ISSUER) {
    if (env.MASH_AUTH_JWKS_URL) {
      throw new ConfigError(
        "MASH_AUTH_JWKS_URL",
        "is set without MASH_AUTH_ISSUER; set both to trust an identity provider",
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
  };
}
