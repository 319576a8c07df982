import type { Backend } from "@mash/kit/testing";
import { startSystem } from "../src/system.ts";

/**
 * The system the workflow bench drives, in its own process so the practitioners' load does not
 * share its event loop: the seven subgraphs on `BENCH_BACKEND` and the enforcing gateway. Prints
 * one JSON line with the gateway's URL and a token for each user the workflow signs in as.
 */
const users = (process.env.BENCH_USERS ?? "").split(",").filter(Boolean);
const system = await startSystem({
  backend: (process.env.BENCH_BACKEND ?? "sqlite") as Backend,
  subjects: Number(process.env.BENCH_SUBJECTS ?? 200),
});
const tokens: Record<string, string> = {};
for (const user of users) tokens[user] = await system.token(user);
process.stdout.write(`${JSON.stringify({ url: system.gatewayUrl, tokens })}\n`);
process.once("SIGTERM", async () => {
  await system.stop();
  process.exit(0);
});
