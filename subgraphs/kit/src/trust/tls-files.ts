import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.ts";

type Env = Record<string, string | undefined>;

/** A PEM file named by a setting, read and parsed so a wrong file stops the process naming it. */
export interface PemFile {
  setting: string;
  file: string;
  pem: string;
}

function readPem(env: Env, setting: string): PemFile | undefined {
  const file = env[setting];
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(setting, `cannot read ${file} (${code})`);
  }
  return { setting, file, pem };
}

/** Certificates (one, or a CA bundle): the first must parse as X.509. */
export function readCertificateFile(
  env: Env,
  setting: string,
): (PemFile & { certificate: X509Certificate }) | undefined {
  const read = readPem(env, setting);
  if (!read) return undefined;
  try {
    return { ...read, certificate: new X509Certificate(read.pem) };
  } catch {
    throw new ConfigError(setting, `${read.file} holds no PEM certificate`);
  }
}

export function readPrivateKeyFile(
  env: Env,
  setting: string,
): (PemFile & { privateKey: KeyObject }) | undefined {
  const read = readPem(env, setting);
  if (!read) return undefined;
  try {
    return { ...read, privateKey: createPrivateKey(read.pem) };
  } catch {
    throw new ConfigError(setting, `${read.file} holds no unencrypted PEM private key`);
  }
}

/**
 * A certificate and its key, set both or neither: one without the other, or a key that is not the
 * certificate's, cannot make a TLS connection and is named rather than failing on first use.
 */
export function readCertificateAndKey(
  env: Env,
  certSetting: string,
  keySetting: string,
): { cert: string; key: string; certificate: X509Certificate } | undefined {
  const cert = readCertificateFile(env, certSetting);
  const key = readPrivateKeyFile(env, keySetting);
  if (!cert && !key) return undefined;
  if (!cert) throw new ConfigError(certSetting, `must be set with ${keySetting}`);
  if (!key) throw new ConfigError(keySetting, `must be set with ${certSetting}`);
  if (!cert.certificate.checkPrivateKey(key.privateKey))
    throw new ConfigError(keySetting, `${key.file} is not the key of ${cert.file}`);
  return { cert: cert.pem, key: key.pem, certificate: cert.certificate };
}
