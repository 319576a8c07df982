import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, type StoreConfig, storeConfigFor } from "@mash/kit";
import { auditStore, defaultSubgraphs, parseSubgraphUrls } from "../config.ts";
import { gatewayDataDir } from "../identity/config.ts";
import { reconcile } from "./reconcile.ts";
import { reconciliationReport } from "./reconcile-report.ts";

/**
 * `npm run audit:reconcile [-- --agencies police,health] [--since <ISO time>] [--until <ISO time>]
 * [--settle <seconds>] [--file audit.sqlite]`: matches every request each agency's served log
 * says it served to a record in the gateway's access log, and names each that has none (what a
 * stolen context key looks like); exit 1 if any. Stores are found as the services find them:
 * the access log as audit:verify does, each agency's by MASH_DATABASE_URL(_<AGENCY>) or the
 * SQLite file in MASH_DATA_DIR. Agencies: --agencies, else MASH_SUBGRAPH_URLS' names, else
 * the hub's seven.
 */
function usage(problem: string): never {
  process.stderr.write(`audit:reconcile: ${problem}\n`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      agencies: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      settle: { type: "string" },
      file: { type: "string" },
    },
  }));
} catch (error) {
  usage((error as Error).message);
}
const time = (name: "since" | "until") => {
  const raw = values[name];
  if (raw !== undefined && Number.isNaN(Date.parse(raw)))
    usage(`--${name} must be an ISO 8601 time such as 2026-05-01T00:00:00Z; got "${raw}".`);
  return raw === undefined ? undefined : new Date(raw).toISOString();
};
const settle = values.settle === undefined ? undefined : Number(values.settle);
if (settle !== undefined && !(Number.isFinite(settle) && settle >= 0))
  usage(`--settle must be a number of seconds; got "${values.settle}".`);

let audit: StoreConfig;
let agencies: { name: string; store: StoreConfig }[];
try {
  audit = values.file
    ? { kind: "sqlite", file: values.file }
    : (auditStore(process.env) ?? {
        kind: "sqlite",
        file: join(gatewayDataDir(process.env), "audit.sqlite"),
      });
  const names = values.agencies
    ? values.agencies.split(",").map((s) => s.trim())
    : (process.env.MASH_SUBGRAPH_URLS
        ? parseSubgraphUrls(process.env.MASH_SUBGRAPH_URLS)
        : defaultSubgraphs
      ).map((s) => s.name);
  agencies = names.map((name) => ({ name, store: storeConfigFor(name, process.env) }));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  usage(error.message);
}
if (audit.kind === "sqlite" && !existsSync(audit.file)) usage(`No access log at ${audit.file}.`);

const result = await reconcile({
  audit,
  agencies,
  since: time("since"),
  until: time("until"),
  settleSeconds: settle,
});
process.stdout.write(reconciliationReport(result));
process.exitCode = result.ok ? 0 : 1;
