import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, defaultDataDir, type StoreConfig } from "@mash/kit";
import { auditStore } from "../config.ts";
import { type AuditRow, openAuditStore } from "./store.ts";
import { checkpointSigner, checkpointVerifier, verifyChain } from "./verify.ts";

type Env = Record<string, string | undefined>;

/**
 * What the command ends with: 0 purged (or nothing to purge), 1 refused because the log does not
 * verify, 2 the request itself was wrong. Nothing is deleted unless the code is 0.
 */
export interface PurgeOutcome {
  exitCode: 0 | 1 | 2;
  message: string;
}

export const PRIVATE_KEY_FILE = "audit-checkpoint.key";
export const PUBLIC_KEY_FILE = "audit-checkpoint.pub";

const usage =
  "usage: npm run audit:purge -- (--before <ISO 8601 time> | --through <seq>) [--file audit.sqlite]\n" +
  "       npm run audit:purge -- --keygen <dir>";

/** A problem with what was asked: exit 2, and nothing touched. */
class BadRequest extends Error {}

// Date-only means midnight UTC (as JavaScript reads it); a time must say its zone, since a
// purge cut in the machine's local time would differ between a laptop and a server.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * `audit:purge`'s whole behaviour, so tests run it without a process: removes access-log records
 * up to a time or a sequence number and leaves a checkpoint signed with the Ed25519 key in
 * MASH_AUDIT_CHECKPOINT_PRIVATE_KEY, from which the rest of the chain still verifies. Reads the
 * same store as `audit:verify`: `--file`, else MASH_AUDIT_DATABASE_URL, MASH_AUDIT_FILE, else
 * audit.sqlite in the data directory.
 */
export async function purgeAccessLog(
  argv: readonly string[],
  env: Env,
): Promise<PurgeOutcome> {
  try {
    return await purge(argv, env);
  } catch (error) {
    if (error instanceof BadRequest || error instanceof ConfigError) {
      return { exitCode: 2, message: `audit:purge: ${error.message}` };
    }
    throw error;
  }
}

async function purge(argv: readonly string[], env: Env): Promise<PurgeOutcome> {
  let values: { before?: string; through?: string; file?: string; keygen?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        before: { type: "string" },
        through: { type: "string" },
        file: { type: "string" },
        keygen: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new BadRequest(`${(error as Error).message}\n${usage}`);
  }

  if (values.keygen !== undefined) {
    if (values.before !== undefined || values.through !== undefined) {
      throw new BadRequest(
        `--keygen makes a key pair and purges nothing; run the purge apart.\n${usage}`,
      );
    }
    return keygen(values.keygen);
  }

  if (values.before === undefined && values.through === undefined) {
    throw new BadRequest(`say what to purge: --before <time> or --through <seq>.\n${usage}`);
  }
  if (values.before !== undefined && values.through !== undefined) {
    throw new BadRequest(`give --before or --through, not both.\n${usage}`);
  }
  let before: string | undefined;
  if (values.before !== undefined) {
    const time = Date.parse(values.before);
    if (!ISO_TIME.test(values.before) || Number.isNaN(time)) {
      throw new BadRequest(
        `--before "${values.before}" is not an ISO 8601 time such as 2026-01-01T00:00:00Z (a time needs its zone: Z or +01:00).`,
      );
    }
    // The store compares the text of each record's time, written by toISOString: compare like
    // with like, or "...00Z" would sort after "...00.000Z" and take records at the cut itself.
    before = new Date(time).toISOString();
  }
  let through: number | undefined;
  if (values.through !== undefined) {
    through = Number(values.through);
    if (!/^\d+$/.test(values.through) || !Number.isSafeInteger(through) || through < 1) {
      throw new BadRequest(
        `--through "${values.through}" is not a record sequence number (1 or more).`,
      );
    }
  }

  // The key is checked before the store is opened: without it, a purge could not leave a
  // checkpoint the rest of the chain verifies from, so nothing may be deleted.
  const privateKey = loadPrivateKey(env);
  const ownPublic = createPublicKey(privateKey);
  // The existing cut is checked with the configured public key when there is one: after a key
  // rotation that is the old key, not the half of the one signing now.
  const verifyWith = env.MASH_AUDIT_CHECKPOINT_PUBLIC_KEY
    ? loadPublicKey(env.MASH_AUDIT_CHECKPOINT_PUBLIC_KEY)
    : ownPublic;
  const config = storeConfig(values.file, env);
  const where = config.kind === "sqlite" ? config.file : `PostgreSQL schema ${config.schema}`;
  if (config.kind === "sqlite" && !existsSync(config.file)) {
    throw new BadRequest(`no access log at ${config.file}.`);
  }

  const store = await openAuditStore(config);
  try {
    const rows = await store.rows();
    const checkpoint = await store.checkpoint();
    // A purge signs the hash of its last record and deletes what came before: run over a log
    // that was already altered, it would vouch for the alteration and delete the evidence.
    const report = verifyChain(rows, {
      checkpoint,
      verifySignature: checkpointVerifier(pem(verifyWith)),
    });
    if (!report.ok) {
      return {
        exitCode: 1,
        message: `audit:purge: refused; the access log does not verify (${where}): ${report.problem.message}. Nothing was purged.`,
      };
    }
    const first = rows[0]?.seq;
    const last = rows.at(-1)?.seq;

    let upTo: number | undefined;
    if (through !== undefined) {
      if (checkpoint && through <= checkpoint.seq) {
        throw new BadRequest(
          `records up to ${checkpoint.seq} were already purged; --through ${through} removes nothing more.`,
        );
      }
      if (last === undefined || through > last) {
        throw new BadRequest(
          `--through ${through} is beyond the log, whose last record is ${last ?? checkpoint?.seq ?? "none (it is empty)"}.`,
        );
      }
      upTo = through;
    } else if (before !== undefined) {
      upTo = await store.lastSeqBefore(before);
      // A gateway may have appended since the rows were read and verified; the cut stays within
      // what was verified.
      if (upTo !== undefined && last !== undefined && upTo > last) upTo = last;
      // The store may find the cut by a copy of each record's time kept beside the chain, which
      // the chain does not cover: an edited copy would steer a signed purge over recent records.
      // The verified records themselves must put the cut in the same place.
      const cutFromRecords = lastBefore(rows, before);
      if (upTo !== cutFromRecords) {
        return {
          exitCode: 1,
          message: `audit:purge: refused; the store puts the last record before ${before} at ${upTo ?? "none"}, but the chained records put it at ${cutFromRecords ?? "none"} (${where}): the time index was altered or is stale. Nothing was purged.`,
        };
      }
      if (upTo === undefined) {
        return {
          exitCode: 0,
          message: `No access-log record is older than ${before}; 0 records removed (${where}).`,
        };
      }
    }
    if (upTo === undefined) throw new BadRequest(usage);
    const cutAt = upTo;

    const removed = rows.filter((r) => r.seq <= cutAt).length;
    const cut = await store.purgeThrough(cutAt, checkpointSigner(privateKeyPem(privateKey)));
    const kept = rows.length - removed;
    // Rotating keys: the old public key checked the old cut, but audit:verify will need the new.
    const rotated = !verifyWith.equals(ownPublic);
    return {
      exitCode: 0,
      message:
        `Purged ${removed} access-log record${removed === 1 ? "" : "s"} (${first} to ${cutAt}) from ${where}; ` +
        `${kept} kept. Checkpoint at seq ${cut.seq}, signed; verify with MASH_AUDIT_CHECKPOINT_PUBLIC_KEY set to the matching public key.` +
        (rotated
          ? "\nThe signing key is not the one MASH_AUDIT_CHECKPOINT_PUBLIC_KEY names: set that to the new key's public half for audit:verify."
          : ""),
    };
  } finally {
    await store.close();
  }
}

/** The last verified record written before `before`, read from the records' own bodies. */
function lastBefore(rows: readonly AuditRow[], before: string): number | undefined {
  let found: number | undefined;
  for (const row of rows) {
    const { at } = JSON.parse(row.body) as { at?: unknown };
    if (typeof at === "string" && at < before) found = Math.max(found ?? 0, row.seq);
  }
  return found;
}

function storeConfig(file: string | undefined, env: Env): StoreConfig {
  if (file) return { kind: "sqlite", file };
  return (
    auditStore(env) ?? {
      kind: "sqlite",
      file: join(env.MASH_DATA_DIR || defaultDataDir, "audit.sqlite"),
    }
  );
}

/** PEM text as given, or the contents of the file the setting names. */
function pemFrom(value: string, setting: string): string {
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    throw new BadRequest(
      `${setting} is neither PEM text nor a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: ${value}).`,
    );
  }
}

function loadPrivateKey(env: Env): KeyObject {
  const setting = "MASH_AUDIT_CHECKPOINT_PRIVATE_KEY";
  const value = env[setting];
  if (!value) {
    throw new BadRequest(
      `refused; ${setting} is not set. A purge must leave a signed checkpoint so the rest of the chain still verifies: set it to the Ed25519 private key (PEM text or a file; make one with --keygen <dir>). Nothing was purged.`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pemFrom(value, setting));
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest(`${setting} does not hold a private key in PEM form.`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new BadRequest(
      `${setting} holds a ${key.asymmetricKeyType ?? "non-asymmetric"} key; checkpoints are signed with Ed25519.`,
    );
  }
  return key;
}

function loadPublicKey(value: string): KeyObject {
  const setting = "MASH_AUDIT_CHECKPOINT_PUBLIC_KEY";
  try {
    return createPublicKey(pemFrom(value, setting));
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest(`${setting} does not hold a public key in PEM form.`);
  }
}

const pem = (key: KeyObject) => key.export({ type: "spki", format: "pem" }).toString();

const privateKeyPem = (key: KeyObject) => key.export({ type: "pkcs8", format: "pem" }).toString();

/** A new checkpoint key pair; never over an existing one, whose checkpoints it would orphan. */
function keygen(dirArg: string): PurgeOutcome {
  if (!dirArg) throw new BadRequest(`--keygen needs a directory.\n${usage}`);
  const dir = resolve(dirArg);
  const keyFile = join(dir, PRIVATE_KEY_FILE);
  const pubFile = join(dir, PUBLIC_KEY_FILE);
  for (const file of [keyFile, pubFile]) {
    if (existsSync(file)) {
      throw new BadRequest(
        `${file} exists; move it away first (checkpoints it signed need its public key).`,
      );
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, privateKeyPem(privateKey), { mode: 0o600, flag: "wx" });
  // The mode given to writeFileSync is narrowed by the umask, never widened; set it outright.
  chmodSync(keyFile, 0o600);
  writeFileSync(pubFile, pem(publicKey), {
    flag: "wx",
  });
  return {
    exitCode: 0,
    message:
      `Wrote an Ed25519 checkpoint key pair:\n` +
      `  private: ${keyFile} (mode 0600; for audit:purge: MASH_AUDIT_CHECKPOINT_PRIVATE_KEY=${keyFile})\n` +
      `  public:  ${pubFile} (for audit:verify: MASH_AUDIT_CHECKPOINT_PUBLIC_KEY=${pubFile})`,
  };
}
