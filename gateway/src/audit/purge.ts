import { createPublicKey, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import type { StoreConfig } from "@mash/kit";
import { privateKeyPem, publicKeyPem } from "./checkpoint-keys.ts";
import { type AuditRow, openAuditStore } from "./store.ts";
import { checkpointSigner, checkpointVerifier, verifyChain } from "./verify.ts";

/**
 * What a purge ends with: 0 purged (or nothing to purge), 1 refused because the log does not
 * verify, 2 the request itself was wrong. Nothing is deleted unless the code is 0.
 */
export interface PurgeOutcome {
  exitCode: 0 | 1 | 2;
  message: string;
}

/** A problem with what was asked (exit 2): nothing was touched. */
export class PurgeRequestError extends Error {}

/** Where to cut (records written before a time, or up to a sequence number) and with which keys. */
export type PurgeOptions = ({ before: string } | { through: number }) & {
  store: StoreConfig;
  /** Ed25519 key that signs the new checkpoint. */
  signingKey: KeyObject;
  /** Checks the existing checkpoint; the signing key's public half when not given. */
  verifyKey?: KeyObject | undefined;
  /** MASH_AUDIT_SQLITE_SYNC=full: the deletes and the checkpoint synced to disk on SQLite. */
  fullSync?: boolean;
};

/**
 * Removes access-log records up to the cut and leaves a checkpoint signed with `signingKey`, from
 * which the rest of the chain still verifies. `before` is compared as text with each record's
 * time, so give it in toISOString form. Throws PurgeRequestError when the cut does not fit the
 * log; refuses (exit 1) when the log does not verify.
 */
export async function purgeAccessLog(options: PurgeOptions): Promise<PurgeOutcome> {
  const { store: config, signingKey } = options;
  const ownPublic = createPublicKey(signingKey);
  const verifyWith = options.verifyKey ?? ownPublic;
  const where = config.kind === "sqlite" ? config.file : `PostgreSQL schema ${config.schema}`;
  if (config.kind === "sqlite" && !existsSync(config.file)) {
    throw new PurgeRequestError(`no access log at ${config.file}.`);
  }

  const store = await openAuditStore(config, { fullSync: options.fullSync === true });
  try {
    const rows = await store.rows();
    const checkpoint = await store.checkpoint();
    // A purge signs the hash of its last record and deletes what came before: run over a log
    // that was already altered, it would vouch for the alteration and delete the evidence.
    const report = verifyChain(rows, {
      checkpoint,
      verifySignature: checkpointVerifier(publicKeyPem(verifyWith)),
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
    if ("through" in options) {
      const { through } = options;
      if (checkpoint && through <= checkpoint.seq) {
        throw new PurgeRequestError(
          `records up to ${checkpoint.seq} were already purged; --through ${through} removes nothing more.`,
        );
      }
      if (last === undefined || through > last) {
        throw new PurgeRequestError(
          `--through ${through} is beyond the log, whose last record is ${last ?? checkpoint?.seq ?? "none (it is empty)"}.`,
        );
      }
      upTo = through;
    } else {
      const { before } = options;
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
    const cutAt = upTo;

    const removed = rows.filter((r) => r.seq <= cutAt).length;
    const cut = await store.purgeThrough(cutAt, checkpointSigner(privateKeyPem(signingKey)));
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
