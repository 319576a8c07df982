import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

export interface DevSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export const devKeyFile = (dataDir: string) => join(dataDir, "gateway-dev-signing-key.json");

/**
 * Development mode's own signing key, made on first start and kept in the data directory (never
 * in the repository), so tokens survive restarts and every clone has a different key.
 */
export async function loadDevSigningKey(dataDir: string): Promise<DevSigningKey> {
  const file = devKeyFile(dataDir);
  if (existsSync(file)) {
    let jwk: JWK & { kid: string };
    try {
      jwk = JSON.parse(readFileSync(file, "utf8")) as JWK & { kid: string };
    } catch (error) {
      throw new Error(
        `${file} is not a JSON key (${(error as Error).message}); delete it to make a new one`,
      );
    }
    const { d: _private, ...publicJwk } = jwk;
    return {
      kid: jwk.kid,
      privateKey: (await importJWK(jwk, "ES256")) as CryptoKey,
      publicKey: (await importJWK(publicJwk, "ES256")) as CryptoKey,
    };
  }
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "ES256" }), {
    mode: 0o600,
  });
  chmodSync(file, 0o600);
  return { kid, privateKey, publicKey };
}
