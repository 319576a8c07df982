import { join } from "node:path";
import { parseArgs } from "node:util";
import type { StoreConfig } from "@mash/kit";
import { auditStore } from "../config.ts";
import { gatewayDataDir } from "../identity/config.ts";
import { verifyAccessLog } from "./verify-access-log.ts";

/**
 * `npm run audit:verify [-- --file audit.sqlite]`: checks the access log (verify-access-log.ts);
 * exit 1 when it is missing or tampered. Reads the log the gateway writes:
 * MASH_AUDIT_DATABASE_URL, MASH_AUDIT_FILE, else audit.sqlite in the data directory; a purge's
 * checkpoint is checked with MASH_AUDIT_CHECKPOINT_PUBLIC_KEY (PEM text, or a file holding it).
 */
const { values } = parseArgs({ options: { file: { type: "string" } } });
const store: StoreConfig = values.file
  ? { kind: "sqlite", file: values.file }
  : (auditStore(process.env) ?? {
      kind: "sqlite",
      file: join(gatewayDataDir(process.env), "audit.sqlite"),
    });
const { exitCode, message } = await verifyAccessLog({
  store,
  checkpointPublicKey: process.env.MASH_AUDIT_CHECKPOINT_PUBLIC_KEY,
});
(exitCode === 0 ? process.stdout : process.stderr).write(`${message}\n`);
process.exitCode = exitCode;
