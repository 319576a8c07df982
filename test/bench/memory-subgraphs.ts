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
 * use for its development keys, the load's tokens and enquiry ids), then serves until SIGTERM.
 */
const temp = tempStores("sqlite");
const dataDir = mkdtempSync(join(tmpdir(), "mash-bench-memory-"));
const quiet = createLogger("bench", "error");
const devKey = await devContextKey(dataDir);
const subgraphs: RunningSubgraph[] = [];
for (const agency of agencies) {
  subgraphs.push(
    await startSubgraph(agency, {
      env: process.env,
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
const signingKey = await loadDevSigningKey(dataDir);
/**
 * The varied load's identities: mgr.okafor's own token first, then IDENTITIES users with the
 * manager's role, a subset of the other practitioner roles (each of the 64 in turn) and a role
 * string of their own that no policy knows: so every cache keyed by role set or user sees more
 * keys than its bound, while every request still reads real data.
 */
const IDENTITIES = Number(process.env.BENCH_MEMORY_IDENTITIES ?? 512);
const others = [
  "police_mash_officer",
  "social_worker",
  "health_safeguarding_nurse",
  "education_safeguarding_lead",
  "probation_officer",
  "adult_social_worker",
];
const tokens = [await signDevToken(signingKey, manager)];
for (let i = 0; i < IDENTITIES; i++) {
  const roles = [
    ...manager.roles,
    ...others.filter((_, bit) => (i % 64) & (1 << bit)),
    `bench-role-${i}`,
  ];
  tokens.push(await signDevToken(signingKey, { ...manager, username: `bench.user${i}`, roles }));
}
process.stdout.write(
  `${JSON.stringify({
    urls: subgraphs.map((s) => `${s.name}=${s.url}`).join(","),
    dataDir,
    tokens,
    enquiries: ["ENQ-2001", "ENQ-2002", "ENQ-2003"],
  })}\n`,
);
process.once("SIGTERM", async () => {
  await Promise.all(subgraphs.map((s) => s.stop()));
  await temp.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
