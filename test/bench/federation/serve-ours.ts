import {
  loadDevSigningKey,
  loadGatewayConfig,
  loadIdentityConfig,
  signDevToken,
  startGateway,
} from "@mash/gateway";
import { createLogger } from "@mash/kit";
import { READY } from "./children.ts";

/**
 * Our gateway, alone in its process so its CPU and memory are its own, started as `npm run start
 * -w gateway` runs it (under tsx) and configured only from MASH_* settings, as an operator
 * serving another graph would: MASH_SUPERGRAPH_FILE, MASH_POLICIES_DIR, MASH_DATA_DIR, ...
 * Enforcing, with the access log. Signs a development token for BENCH_AGENCY / BENCH_ROLE with
 * the data directory's key, prints `BENCH-READY { url, token }`, then waits.
 */
// Signs its own development token; children.ts runs it with NODE_ENV=production.
const identity = loadIdentityConfig({ ...process.env, MASH_DEV_SIGN_IN: "true" });
const gateway = await startGateway(loadGatewayConfig(process.env), {
  logger: createLogger("federation-bench", "warn"),
  identity,
  watchPolicies: false,
});
const token = await signDevToken(await loadDevSigningKey(identity.dataDir), {
  username: "bench-reader",
  name: "Federation bench",
  agency: process.env.BENCH_AGENCY ?? "",
  roles: [process.env.BENCH_ROLE ?? ""],
});
process.stdout.write(`${READY} ${JSON.stringify({ url: gateway.url, token })}\n`);
process.once("SIGTERM", async () => {
  await gateway.stop();
  process.exit(0);
});
