import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { StoreConfig } from "@mash/kit";
import { auditStore } from "../config.ts";
import { gatewayDataDir } from "../identity/config.ts";
import { openAuditStore } from "./store.ts";
import { checkpointVerifier, verifyChain } from "./verify.ts";
import { verifyDerived } from "./verify-derived.ts";

/**
 * `npm run audit:verify [-- --file audit.sqlite]`: walks the whole access log's hash chain and
 * names the first record changed, removed or inserted; exit 1 when there is one. Reads the log
 * the gateway writes: MASH_AUDIT_DATABASE_URL, MASH_AUDIT_FILE, else audit.sqlite in the data
 * directory. After a retention purge the chain starts at a signed checkpoint, checked with the
 * Ed25519 public key in MASH_AUDIT_CHECKPOINT_PUBLIC_KEY (PEM text, or a file holding it).
 */
const { values } = parseArgs({ options: { file: { type: "string" } } });
const config: StoreConfig = values.file
  ? { kind: "sqlite", file: values.file }
  : (auditStore(process.env) ?? {
      kind: "sqlite",
      file: join(gatewayDataDir(process.env), "audit.sqlite"),
    });
const where = config.kind === "sqlite" ? config.file : `PostgreSQL schema ${config.schema}`;
if (config.kind === "sqlite" && !existsSync(config.file)) {
  process.stderr.write(`No access log at ${config.file}.\n`);
  process.exit(1);
}
const store = await openAuditStore(config);
try {
  const publicKey = process.env.MASH_AUDIT_CHECKPOINT_PUBLIC_KEY;
  const pem =
    publicKey && !publicKey.includes("BEGIN") ? readFileSync(publicKey, "utf8") : publicKey;
  const report = verifyChain(await store.rows(), {
    checkpoint: await store.checkpoint(),
    verifySignature: pem ? checkpointVerifier(pem) : undefined,
  });
  const derived = report.ok ? await verifyDerived(store.store.db) : undefined;
  if (report.ok && derived?.ok) {
    process.stdout.write(
      `Access log OK: ${report.records} records, chain intact, search index and notifications match (${where}).\n`,
    );
  } else if (report.ok && derived && !derived.ok) {
    process.stderr.write(`Access log index TAMPERED (${where}): ${derived.message}.\n`);
    process.exitCode = 1;
  } else if (!report.ok) {
    process.stderr.write(
      `Access log TAMPERED (${where}, ${report.records} records): ${report.problem.message}.\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await store.close();
}
