import { KeyObject, sign } from "node:crypto";
import { CONTEXT_ALG, type ContextSigningKey } from "./keys.ts";

/** A key ready to sign with: its protected header already encoded, the key as node:crypto's. */
interface Signer {
  typ: string;
  header: string;
  key: KeyObject;
}

const signers = new WeakMap<ContextSigningKey, Signer>();

function signerFor(key: ContextSigningKey, typ: string): Signer {
  let signer = signers.get(key);
  if (!signer || signer.typ !== typ) {
    const keyObject = KeyObject.from(key.privateKey);
    // The one algorithm subgraphs accept: a key of another kind must not sign under its name.
    if (keyObject.type !== "private" || keyObject.asymmetricKeyType !== "ed25519")
      throw new Error(`The context signing key "${key.kid}" is not an Ed25519 private key.`);
    // The header jose's SignJWT writes for { alg, kid, typ }, in that order.
    const header = Buffer.from(JSON.stringify({ alg: CONTEXT_ALG, kid: key.kid, typ })).toString(
      "base64url",
    );
    signer = { typ, header, key: keyObject };
    signers.set(key, signer);
  }
  return signer;
}

/**
 * An EdDSA (Ed25519) compact JWS of `claims`, as jose's SignJWT makes it (the same header, the
 * claims as JSON, base64url), signed with node:crypto in one synchronous call: jose signs through
 * WebCrypto, whose promise and key handling cost several times the signature itself, for every
 * subgraph fetch. Verification is unchanged (jose's jwtVerify, context.ts).
 */
export function signCompact(key: ContextSigningKey, typ: string, claims: object): string {
  const signer = signerFor(key, typ);
  const input = `${signer.header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const signature = sign(null, Buffer.from(input), signer.key).toString("base64url");
  return `${input}.${signature}`;
}
