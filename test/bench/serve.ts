import { startGateway } from "@mash/gateway";
import { createLogger } from "@mash/kit";
import { startSystem, testGatewayConfig } from "../src/system.ts";

/**
 * The system under benchmark, in its own process so the load generator does not share its event
 * loop: the seven subgraphs, the gateway with enforcement, and a second gateway with enforcement
 * off over the same subgraphs. Prints one JSON line with the URLs and headers, then waits.
 */
const system = await startSystem({ subjects: Number(process.env.BENCH_SUBJECTS ?? 2000) });
const off = await startGateway(
  testGatewayConfig(system.subgraphs.map((s) => ({ name: s.name, url: s.url }))),
  {
    logger: createLogger("bench", "silent"),
    identity: system.identity,
    authorization: "off",
    watchPolicies: false,
  },
);
const headers = await system.headersFor({ as: "mgr.okafor", enquiry: "ENQ-2001" });
process.stdout.write(`${JSON.stringify({ on: system.gatewayUrl, off: off.url, headers })}\n`);
process.once("SIGTERM", async () => {
  await off.stop();
  await system.stop();
  process.exit(0);
});
