import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, defaultDataDir, type StoreConfig } from "@mash/kit";
import { auditStore } from "../config.ts";
import { sqliteFullSync } from "./audit-config.ts";
import {
  CheckpointKeyError,
  loadCheckpointPrivateKey,
  loadCheckpointPublicKey,
  writeCheckpointKeyPair,
} from "./checkpoint-keys.ts";
import { type PurgeOutcome, PurgeRequestError, purgeAccessLog } from "./purge.ts";

type Env = Record<string, string | undefined>;

const usage =
  "usage: npm run audit:purge -- (--before <ISO 8601 time> | --through <seq>) [--file audit.sqlite]\n" +
  "       npm run audit:purge -- --keygen <dir>";

// Date-only means midnight UTC (as JavaScript reads it); a time must say its zone, since a
// purge cut in the machine's local time would differ between a laptop and a server.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

const PRIVATE_SETTING = "MASH_AUDIT_CHECKPOINT_PRIVATE_KEY";
const PUBLIC_SETTING = "MASH_AUDIT_CHECKPOINT_PUBLIC_KEY";

/**
 * `audit:purge`'s whole behaviour, so tests run it without a process: reads argv and the
 * settings, then purges (see purgeAccessLog) or writes a key pair with `--keygen <dir>`. The
 * store is `--file`, else MASH_AUDIT_DATABASE_URL, MASH_AUDIT_FILE, else audit.sqlite in the data
 * directory, as for `audit:verify`. A wrong request ends with exit 2 and nothing touched.
 */
export async function runPurgeCommand(argv: readonly string[], env: Env): Promise<PurgeOutcome> {
  try {
    return await run(argv, env);
  } catch (error) {
    if (
      error instanceof PurgeRequestError ||
      error instanceof CheckpointKeyError ||
      error instanceof ConfigError
    ) {
      return { exitCode: 2, message: `audit:purge: ${error.message}` };
    }
    throw error;
  }
}

async function run(argv: readonly string[], env: Env): Promise<PurgeOutcome> {
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
    throw new PurgeRequestError(`${(error as Error).message}\n${usage}`);
  }

  if (values.keygen !== undefined) {
    if (values.before !== undefined || values.through !== undefined) {
      throw new PurgeRequestError(
        `--keygen makes a key pair and purges nothing; run the purge apart.\n${usage}`,
      );
    }
    return keygen(values.keygen);
  }

  const cut = parseCut(values.before, values.through);
  // The key is checked before the store is opened: without it, a purge could not leave a
  // checkpoint the rest of the chain verifies from, so nothing may be deleted.
  const signingKey = privateKeyFrom(env);
  // The existing cut is checked with the configured public key when there is one: after a key
  // rotation that is the old key, not the half of the one signing now.
  const publicValue = env[PUBLIC_SETTING];
  const verifyKey = publicValue ? loadCheckpointPublicKey(publicValue, PUBLIC_SETTING) : undefined;
  return purgeAccessLog({
    ...cut,
    store: storeConfig(values.file, env),
    signingKey,
    verifyKey,
    fullSync: sqliteFullSync(env),
  });
}

function parseCut(
  before: string | undefined,
  through: string | undefined,
): { before: string } | { through: number } {
  if (before === undefined && through === undefined) {
    throw new PurgeRequestError(`say what to purge: --before <time> or --through <seq>.\n${usage}`);
  }
  if (before !== undefined && through !== undefined) {
    throw new PurgeRequestError(`give --before or --through, not both.\n${usage}`);
  }
  if (before !== undefined) {
    const time = Date.parse(before);
    if (!ISO_TIME.test(before) || Number.isNaN(time)) {
      throw new PurgeRequestError(
        `--before "${before}" is not an ISO 8601 time such as 2026-01-01T00:00:00Z (a time needs its zone: Z or +01:00).`,
      );
    }
    // The store compares the text of each record's time, written by toISOString: compare like
    // with like, or "...00Z" would sort after "...00.000Z" and take records at the cut itself.
    return { before: new Date(time).toISOString() };
  }
  const text = through as string;
  const seq = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seq) || seq < 1) {
    throw new PurgeRequestError(`--through "${text}" is not a record sequence number (1 or more).`);
  }
  return { through: seq };
}

function privateKeyFrom(env: Env): KeyObject {
  const value = env[PRIVATE_SETTING];
  if (!value) {
    throw new PurgeRequestError(
      `refused; ${PRIVATE_SETTING} is not set. A purge must leave a signed checkpoint so the rest of the chain still verifies: set it to the Ed25519 private key (PEM text or a file; make one with --keygen <dir>). Nothing was purged.`,
    );
  }
  return loadCheckpointPrivateKey(value, PRIVATE_SETTING);
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

function keygen(dir: string): PurgeOutcome {
  if (!dir) throw new PurgeRequestError(`--keygen needs a directory.\n${usage}`);
  const { keyFile, pubFile } = writeCheckpointKeyPair(dir);
  return {
    exitCode: 0,
    message:
      `Wrote an Ed25519 checkpoint key pair:\n` +
      `  private: ${keyFile} (mode 0600; for audit:purge: ${PRIVATE_SETTING}=${keyFile})\n` +
      `  public:  ${pubFile} (for audit:verify: ${PUBLIC_SETTING}=${pubFile})`,
  };
}
