import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import { createLogger, type Logger } from "@mash/kit";
import { close, graphqlHandler, listen, sendJson } from "@mash/kit/http";
import { loadSupergraph } from "../compose/load-supergraph.ts";
import type { GatewayConfig } from "../config.ts";
import { createConsoleHandler } from "../console/serve.ts";
import { checkSubgraphs } from "../health/subgraph-health.ts";

export interface RunningGateway {
  url: string;
  port: number;
  /** Where the supergraph came from: a file, or the running subgraphs. */
  supergraphSource: string;
  stop(): Promise<void>;
}

export const DEVELOPMENT_ONLY_WARNING =
  "Development only: authorization is not enforced yet, so every caller sees every field. Do not load real records.";

export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger("gateway"),
): Promise<RunningGateway> {
  // The gateway otherwise reports usage telemetry to Apollo; a safeguarding hub sends nothing out.
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  const supergraph = await loadSupergraph(config);
  const urlOf = new Map(config.subgraphs.map((s) => [s.name, s.url]));

  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.sdl,
    // Query plans name every subgraph and field fetched; no client may ask for them.
    __exposeQueryPlanExperimental: false,
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: urlOf.get(name) ?? url }),
    logger: {
      debug: () => {},
      info: (m) => logger.info(String(m)),
      warn: (m) => logger.warn(String(m)),
      error: (m) => logger.error(String(m)),
    },
  });
  const apollo = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
  });
  await apollo.start();

  const handleGraphQL = graphqlHandler({ server: apollo, context: async () => ({}) });
  const handleConsole = createConsoleHandler();

  const health = async (res: ServerResponse) => {
    const results = await checkSubgraphs(config.subgraphs, config.subgraphTimeoutMs);
    const down = results.filter((r) => !r.ok);
    sendJson(res, down.length ? 503 : 200, {
      status: down.length ? "unavailable" : "ok",
      supergraph: "loaded",
      subgraphs: Object.fromEntries(results.map((r) => [r.name, r.ok ? "ok" : r.problem])),
      ...(down.length ? { unavailable: down.map((r) => r.name) } : {}),
    });
  };

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    const failed = (error: Error) => {
      logger.error("request failed", { path, error: error.message });
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal error" }] });
      else res.end();
    };
    if (path === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      health(res).catch(failed);
      return;
    }
    if (handleConsole(req, res)) return;
    if (path === "/graphql") {
      handleGraphQL(req, res).catch(failed);
      return;
    }
    if (path === "/") {
      res.writeHead(302, { location: "/graphql" }).end();
      return;
    }
    sendJson(res, 404, {
      error: `Nothing at ${path}. The graph is at /graphql; health at /health.`,
    });
  });
  const port = await listen(http, config.port, config.host);
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}/graphql`;
  logger.warn(DEVELOPMENT_ONLY_WARNING);
  logger.info("gateway ready", { url, supergraph: supergraph.source });

  return {
    url,
    port,
    supergraphSource: supergraph.source,
    async stop() {
      await close(http);
      await apollo.stop();
    },
  };
}
