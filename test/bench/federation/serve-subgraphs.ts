import { createServer, type Server } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { close, graphqlHandler, listen, sendJson } from "@mash/kit/http";
import { parse } from "graphql";
import { READY } from "./children.ts";
import { generateShop } from "./data.ts";
import { roster } from "./subgraphs/roster.ts";

/**
 * The four shop subgraphs, plain @apollo/subgraph servers answering from memory, in one process
 * that every gateway under test shares. Prints `BENCH-READY [{ name, url }]`, then waits.
 *
 * Idle connections are kept two minutes, not Node's five seconds: each gateway idles while the
 * others are measured, and bare @apollo/gateway's fetcher reuses a socket the server has just
 * closed ("socket hang up") where ours does not; the bench should measure neither that race nor
 * a reconnect per window.
 */
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const shop = generateShop();
const servers: { apollo: ApolloServer; http: Server }[] = [];
const served: { name: string; url: string }[] = [];
for (const subgraph of roster) {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(subgraph.sdl),
      resolvers: subgraph.resolvers(shop),
    }),
    logger: silent,
    // No gateway here asks for traces; computing them would only add to the shared cost.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const handle = graphqlHandler({ server, context: async () => ({}) });
  const http = createServer((req, res) => {
    handle(req, res).catch(() => sendJson(res, 500, { errors: [{ message: "failed" }] }));
  });
  http.keepAliveTimeout = 120_000;
  http.headersTimeout = 125_000;
  const port = await listen(http, 0, "127.0.0.1");
  servers.push({ apollo: server, http });
  served.push({ name: subgraph.name, url: `http://127.0.0.1:${port}/graphql` });
}
process.stdout.write(`${READY} ${JSON.stringify(served)}\n`);
process.once("SIGTERM", async () => {
  await Promise.all(servers.map((s) => close(s.http).then(() => s.apollo.stop())));
  process.exit(0);
});
