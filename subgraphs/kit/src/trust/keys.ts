import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
} from "jose";
import { ConfigError } from "../errors.ts";

/**
 * The one algorithm a gateway context is signed with. Asymmetric, so subgraphs hold only public
 * keys and no subgraph can mint a context for another; Ed25519 signs a per-fetch token cheaply.
 */
export const CONTEXT_ALG = "EdDSA";

/** An Ed25519 key as JSON: public when `d` is absent. */
export interface ContextJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  d?: string;
  kid: string;
  alg?: string;
  use?: string;
}

export interface ContextSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** The public keys a subgraph accepts, by kid: two while a key is being rotated. */
export type ContextVerifyKeys = ReadonlyMap<string, CryptoKey>;

/** A fresh key pair, its kid derived from the public key so two pairs never share one. */
export async function newContextKeyPair(): Promise<{
  privateJwk: ContextJwk;
  publicJwk: ContextJwk;
}> {
  const { privateKey } = await generateKeyPair(CONTEXT_ALG, { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = `ctx-${(await calculateJwkThumbprint(jwk)).slice(0, 16)}`;
  const privateJwk = { ...jwk, kid, alg: CONTEXT_ALG, use: "sig" } as ContextJwk;
  return { privateJwk, publicJwk: publicContextJwk(privateJwk) };
}

export function publicContextJwk(jwk: ContextJwk): ContextJwk {
  const { d: _private, ...rest } = jwk;
  return rest;
}

function checkJwk(value: unknown, setting: string, where: string): ContextJwk {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigError(setting, `${where} is not a JWK object`);
  const jwk = value as Record<string, unknown>;
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string")
    throw new ConfigError(
      setting,
      `${where} is not an Ed25519 key (expected "kty": "OKP", "crv": "Ed25519" and "x")`,
    );
  if (typeof jwk.kid !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(jwk.kid))
    throw new ConfigError(
      setting,
      `${where} has no usable "kid" (1 to 64 letters, digits, ".", "_" or "-"); rotation picks keys by kid`,
    );
  if (jwk.alg !== undefined && jwk.alg !== CONTEXT_ALG)
    throw new ConfigError(setting, `${where} is for "${String(jwk.alg)}", not ${CONTEXT_ALG}`);
  return jwk as unknown as ContextJwk;
}

const parseJson = (raw: string, setting: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    // Not the parser's message: it quotes the start of the value, which here is a private key.
    throw new ConfigError(setting, "is not JSON");
  }
};

/** The gateway's private key, from a JWK (`MASH_CONTEXT_SIGNING_KEY` or the development file). */
export async function importSigningKey(
  value: unknown,
  setting = "MASH_CONTEXT_SIGNING_KEY",
): Promise<ContextSigningKey> {
  const jwk = checkJwk(
    typeof value === "string" ? parseJson(value, setting) : value,
    setting,
    "the key",
  );
  if (typeof jwk.d !== "string")
    throw new ConfigError(
      setting,
      `key "${jwk.kid}" is public ("d" is missing); the gateway signs with the private key`,
    );
  try {
    return { kid: jwk.kid, privateKey: (await importJWK(jwk, CONTEXT_ALG)) as CryptoKey };
  } catch (error) {
    throw new ConfigError(setting, `key "${jwk.kid}" does not import: ${(error as Error).message}`);
  }
}

/** A subgraph's trusted public keys, from a JWK list (`MASH_CONTEXT_VERIFY_KEYS`). */
export async function importVerifyKeys(
  value: unknown,
  setting = "MASH_CONTEXT_VERIFY_KEYS",
): Promise<ContextVerifyKeys> {
  const list = typeof value === "string" ? parseJson(value, setting) : value;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError(setting, "must be a JSON array of one or more public JWKs");
  const keys = new Map<string, CryptoKey>();
  for (const [i, item] of list.entries()) {
    const jwk = checkJwk(item, setting, `entry ${i + 1}`);
    // A subgraph holding the private key could sign contexts for every other subgraph.
    if (jwk.d !== undefined)
      throw new ConfigError(
        setting,
        `key "${jwk.kid}" includes the private part ("d"); give subgraphs only the public key`,
      );
    if (keys.has(jwk.kid)) throw new ConfigError(setting, `names kid "${jwk.kid}" twice`);
    try {
      keys.set(jwk.kid, (await importJWK(jwk, CONTEXT_ALG)) as CryptoKey);
    } catch (error) {
      throw new ConfigError(
        setting,
        `key "${jwk.kid}" does not import: ${(error as Error).message}`,
      );
    }
  }
  return keys;
}
