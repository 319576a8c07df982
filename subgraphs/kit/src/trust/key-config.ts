import { randomUUID } from "node:crypto";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultDataDir } from "../config.ts";
import { privateDir, restrictToOwner } from "../store/private-files.ts";
import {
  type ContextJwk,
  type ContextSigningKey,
  type ContextVerifyKeys,
  importSigningKey,
  importVerifyKeys,
  newContextKeyPair,
  publicContextJwk,
} from "./keys.ts";

type Env = Record<string, string | undefined>;

export const contextKeyFile = (dataDir: string) => join(dataDir, "gateway-context-key.json");

function readKeyFile(file: string): ContextJwk | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as ContextJwk;
  } catch (error) {
    throw new Error(
      `${file} is not a JSON key (${(error as Error).message}); delete it to make a new one`,
    );
  }
}

/**
 * The development key pair, made by whichever process needs it first. `npm start` launches seven
 * subgraphs at once and then the gateway, so several may race: each writes a complete private
 * file and hard-links it into place, which fails for all but the first, and everyone then reads
 * the winner's key. A reader therefore never sees a half-written file.
 */
export async function devContextKey(dataDir: string): Promise<ContextJwk> {
  const file = contextKeyFile(dataDir);
  // The directory holds the stores and keys: the owner's alone, whoever made it and how.
  privateDir(dataDir);
  const existing = readKeyFile(file);
  if (existing) {
    // One made before keys were kept private, or copied in with a looser mode.
    restrictToOwner(file);
    return existing;
  }
  const { privateJwk } = await newContextKeyPair();
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, JSON.stringify(privateJwk), { mode: 0o600, flag: "wx" });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temp);
  }
  const written = readKeyFile(file);
  if (!written) throw new Error(`${file} vanished while it was being created`);
  return written;
}

export interface Loaded<T> {
  value: T;
  /** The setting or file the keys came from, for the start-up log (never the keys). */
  source: string;
  /** True when the keys are the development pair in the data directory. */
  development: boolean;
}

const dataDirOf = (env: Env, dataDir?: string) => dataDir ?? (env.MASH_DATA_DIR || defaultDataDir);

/**
 * The gateway's signing key: `MASH_CONTEXT_SIGNING_KEY`, else the development pair in the data
 * directory (made if missing). `create: false` is for tools that must not mint a key of their own.
 */
export async function loadContextSigningKey(options: {
  env: Env;
  dataDir?: string;
  create?: boolean;
}): Promise<Loaded<ContextSigningKey> | undefined> {
  const { env } = options;
  if (env.MASH_CONTEXT_SIGNING_KEY) {
    return {
      value: await importSigningKey(env.MASH_CONTEXT_SIGNING_KEY),
      source: "MASH_CONTEXT_SIGNING_KEY",
      development: false,
    };
  }
  const dir = dataDirOf(env, options.dataDir);
  const jwk =
    options.create === false ? readKeyFile(contextKeyFile(dir)) : await devContextKey(dir);
  if (!jwk) return undefined;
  const file = contextKeyFile(dir);
  return { value: await importSigningKey(jwk, file), source: file, development: true };
}

/**
 * A subgraph's trusted keys: `MASH_CONTEXT_VERIFY_KEYS`, else the public half of the development
 * pair in the data directory, made if missing so a subgraph may start before the gateway.
 */
export async function loadContextVerifyKeys(options: {
  env: Env;
  dataDir?: string;
}): Promise<Loaded<ContextVerifyKeys>> {
  const { env } = options;
  if (env.MASH_CONTEXT_VERIFY_KEYS) {
    return {
      value: await importVerifyKeys(env.MASH_CONTEXT_VERIFY_KEYS),
      source: "MASH_CONTEXT_VERIFY_KEYS",
      development: false,
    };
  }
  const dir = dataDirOf(env, options.dataDir);
  const jwk = await devContextKey(dir);
  const file = contextKeyFile(dir);
  return {
    value: await importVerifyKeys([publicContextJwk(jwk)], file),
    source: file,
    development: true,
  };
}
