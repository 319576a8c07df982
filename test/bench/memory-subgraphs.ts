import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devUsers, loadDevSigningKey, signDevToken } from "@mash/gateway";
import {
  createLogger,
  devContextKey,
  publicContextJwk,
  type RunningSubgraph,
  startSubgraph,
} from "@mash/kit";
import { tempStores } from "@mash/kit/testing";
import { agencies } from "../../scripts/agencies.ts";

/**
 * The seven subgraphs of the memory benchmark (memory.ts), on private stores with the same
 * population as the gateway benchmark, in a process of their own so that the gateway's process
 * holds nothing but the gateway. Prints one JSON line (URLs, the data directory the gateway is to
 * use for its development keys, a practitioner's headers), then serves until SIGTERM.
 */
const temp = tempStores("sqlite");
const dataDir = mkdtempSync(join(tmpdir(), "mash-bench-memory-"));
const quiet = createLogger("bench", "error");
const devKey = await devContextKey(dataDir);
const subgraphs: RunningSubgraph[] = [];
for (const agency of agencies) {
  subgraphs.push(
    await startSubgraph(agency, {
      port: 0,
      store: temp.configFor(agency.name),
      seedSubjects: Number(process.env.BENCH_SUBJECTS ?? 2000),
      logger: quiet,
      contextVerifyKeys: [publicContextJwk(devKey)],
    }),
  );
}
const manager = devUsers().find((u) => u.username === "mgr.okafor");
if (!manager) throw new Error("no development user mgr.okafor");
const token = await signDevToken(await loadDevSigningKey(dataDir), manager);
process.stdout.write(
  `${JSON.stringify({
    urls: subgraphs.map((s) => `${s.name}=${s.url}`).join(","),
    dataDir,
    headers: { authorization: `Bearer ${token}`, "x-mash-enquiry": "ENQ-2001" },
  })}\n`,
);
process.once("SIGTERM", async () => {
  await Promise.all(subgraphs.map((s) => s.stop()));
  await temp.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
