// Bare @apollo/gateway in @apollo/server 5 over BENCH_SUPERGRAPH_FILE, as its documentation starts
// it: plain JavaScript in plain Node (no tsx loader, no source-map stack traces), telemetry off.
// Prints `BENCH-READY { url }` (see children.ts), then waits.
import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

process.env.APOLLO_TELEMETRY_DISABLED = "true";
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const supergraphSdl = readFileSync(process.env.BENCH_SUPERGRAPH_FILE ?? "", "utf8");
const server = new ApolloServer({
  gateway: new ApolloGateway({ supergraphSdl, logger: silent }),
  logger: silent,
});
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
process.stdout.write(`BENCH-READY ${JSON.stringify({ url })}\n`);
process.once("SIGTERM", async () => {
  await server.stop();
  process.exit(0);
});
