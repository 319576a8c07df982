import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The file names `audit:purge --keygen <dir>` writes. */
export const PRIVATE_KEY_FILE = "audit-checkpoint.key";
export const PUBLIC_KEY_FILE = "audit-checkpoint.pub";

/** A key setting or key directory that cannot be used: the request is wrong, nothing touched. */
export class CheckpointKeyError extends Error {}

/** PEM text as given, or the contents of the file the setting names. */
function pemFrom(value: string, setting: string): string {
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    throw new CheckpointKeyError(
      `${setting} is neither PEM text nor a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: ${value}).`,
    );
  }
}

/** The Ed25519 private key in `value` (PEM text or a file), named `setting` in errors. */
export function loadCheckpointPrivateKey(value: string, setting: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pemFrom(value, setting));
  } catch (error) {
    if (error instanceof CheckpointKeyError) throw error;
    throw new CheckpointKeyError(`${setting} does not hold a private key in PEM form.`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new CheckpointKeyError(
      `${setting} holds a ${key.asymmetricKeyType ?? "non-asymmetric"} key; checkpoints are signed with Ed25519.`,
    );
  }
  return key;
}

/** The public key in `value` (PEM text or a file), named `setting` in errors. */
export function loadCheckpointPublicKey(value: string, setting: string): KeyObject {
  try {
    return createPublicKey(pemFrom(value, setting));
  } catch (error) {
    if (error instanceof CheckpointKeyError) throw error;
    throw new CheckpointKeyError(`${setting} does not hold a public key in PEM form.`);
  }
}

export const publicKeyPem = (key: KeyObject) =>
  key.export({ type: "spki", format: "pem" }).toString();

export const privateKeyPem = (key: KeyObject) =>
  key.export({ type: "pkcs8", format: "pem" }).toString();

/**
 * Writes a new checkpoint key pair into `dirArg` (private key mode 0600); never over an existing
 * one, whose checkpoints it would orphan.
 */
export function writeCheckpointKeyPair(dirArg: string): { keyFile: string; pubFile: string } {
  const dir = resolve(dirArg);
  const keyFile = join(dir, PRIVATE_KEY_FILE);
  const pubFile = join(dir, PUBLIC_KEY_FILE);
  for (const file of [keyFile, pubFile]) {
    if (existsSync(file)) {
      throw new CheckpointKeyError(
        `${file} exists; move it away first (checkpoints it signed need its public key).`,
      );
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, privateKeyPem(privateKey), { mode: 0o600, flag: "wx" });
  // The mode given to writeFileSync is narrowed by the umask, never widened; set it outright.
  chmodSync(keyFile, 0o600);
  writeFileSync(pubFile, publicKeyPem(publicKey), { flag: "wx" });
  return { keyFile, pubFile };
}
