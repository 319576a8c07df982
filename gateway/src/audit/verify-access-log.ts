import { existsSync, readFileSync } from "node:fs";
import type { StoreConfig } from "@mash/kit";
import { openAuditStore } from "./store.ts";
import { checkpointVerifier, verifyChain } from "./verify.ts";
import { verifyDerived } from "./verify-derived.ts";

export interface VerifyAccessLogOptions {
  store: StoreConfig;
  /** The Ed25519 public key that checks a purge's checkpoint: PEM text, or a file holding it. */
  checkpointPublicKey?: string | undefined;
}

/** 0 the log verifies (`message` for stdout), 1 it is missing or tampered (for stderr). */
export interface VerifyAccessLogOutcome {
  exitCode: 0 | 1;
  message: string;
}

/**
 * Walks the whole access log's hash chain and names the first record changed, removed or
 * inserted, then checks the search index and notifications against the records. After a
 * retention purge the chain starts at a signed checkpoint, checked with `checkpointPublicKey`.
 */
export async function verifyAccessLog(
  options: VerifyAccessLogOptions,
): Promise<VerifyAccessLogOutcome> {
  const config = options.store;
  const where = config.kind === "sqlite" ? config.file : `PostgreSQL schema ${config.schema}`;
  if (config.kind === "sqlite" && !existsSync(config.file))
    return { exitCode: 1, message: `No access log at ${config.file}.` };
  const store = await openAuditStore(config);
  try {
    const publicKey = options.checkpointPublicKey;
    const pem =
      publicKey && !publicKey.includes("BEGIN") ? readFileSync(publicKey, "utf8") : publicKey;
    const report = verifyChain(await store.rows(), {
      checkpoint: await store.checkpoint(),
      verifySignature: pem ? checkpointVerifier(pem) : undefined,
    });
    if (!report.ok)
      return {
        exitCode: 1,
        message: `Access log TAMPERED (${where}, ${report.records} records): ${report.problem.message}.`,
      };
    const derived = await verifyDerived(store.store.db);
    if (!derived.ok)
      return { exitCode: 1, message: `Access log index TAMPERED (${where}): ${derived.message}.` };
    return {
      exitCode: 0,
      message: `Access log OK: ${report.records} records, chain intact, search index and notifications match (${where}).`,
    };
  } finally {
    await store.close();
  }
}
