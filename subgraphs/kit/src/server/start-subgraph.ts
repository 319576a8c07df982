import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { countFrom, type StoreConfig, storeConfigFor } from "../config.ts";
import { close, graphqlHandler, listen, sendJson } from "../http/index.ts";
import { createLogger, type Logger } from "../logger.ts";
import { DEFAULT_SUBJECTS, generatePopulation } from "../population/generate.ts";
import { type Progress, silentProgress } from "../seed/progress.ts";
import { seedStore, storeIsEmpty } from "../seed/seed-store.ts";
import { openStore, type Store } from "../store/open-store.ts";
import type { AnyAgency } from "./agency.ts";

type Env = Record<string, string | undefined>;

export interface StartSubgraphOptions {
  port?: number;
  host?: string;
  env?: Env;
  /** Where the store lives; from the environment when not given. */
  store?: StoreConfig;
  /** How many synthetic subjects to seed an empty store with (`MASH_SEED_SUBJECTS`, 2000). */
  seedSubjects?: number;
  progress?: Progress;
  logger?: Logger;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  store: Store<unknown>;
  stop(): Promise<void>;
}

export async function startSubgraph(
  agency: AnyAgency,
  options: StartSubgraphOptions = {},
): Promise<RunningSubgraph> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(agency.name);
  const settings = agency.settings?.(env);
  const store = await openStore<unknown>({
    agency: agency.name,
    config: options.store ?? storeConfigFor(agency.name, env),
    migrations: agency.migrations,
  });

  try {
    if (await storeIsEmpty(agency, store)) {
      const subjects =
        options.seedSubjects ?? countFrom(env, "MASH_SEED_SUBJECTS", DEFAULT_SUBJECTS);
      const started = Date.now();
      await seedStore(
        agency,
        store,
        generatePopulation({ subjects }),
        options.progress ?? silentProgress,
      );
      logger.info("seeded an empty store", { subjects, ms: Date.now() - started });
    }

    const apollo = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: agency.typeDefs,
        // The map is typed against this agency's context; Apollo's builder only knows `unknown`.
        resolvers: agency.resolvers as GraphQLResolverMap<unknown>,
      }),
      // Traces would carry timing of other agencies' data to whoever asks; nothing here reports them.
      plugins: [ApolloServerPluginInlineTraceDisabled()],
      includeStacktraceInErrorResponses: false,
    });
    await apollo.start();

    const handleGraphQL = graphqlHandler({
      server: apollo,
      context: async () => ({ store, settings, loaders: agency.createLoaders(store) }),
    });

    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/health") {
        store.ping().then(
          () => sendJson(res, 200, { status: "ok", agency: agency.name }),
          (error: Error) => {
            logger.error("health check: store does not answer", { error: error.message });
            sendJson(res, 503, { status: "unavailable", agency: agency.name, reason: "store" });
          },
        );
        return;
      }
      if (path === "/graphql") {
        handleGraphQL(req, res).catch((error: Error) => {
          logger.error("request failed", { error: error.message });
          if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal error" }] });
          else res.end();
        });
        return;
      }
      sendJson(res, 404, { error: `Nothing at ${path}; the subgraph answers at /graphql.` });
    });
    const host = options.host ?? env.HOST ?? "127.0.0.1";
    const port = await listen(http, options.port ?? agency.defaultPort, host);
    const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/graphql`;
    logger.info("subgraph ready", { url, store: store.dialect });

    let stopped: Promise<void> | undefined;
    return {
      name: agency.name,
      url,
      port,
      store,
      // Idempotent: a test or a signal handler may stop a subgraph that is already stopping.
      stop() {
        stopped ??= (async () => {
          await close(http);
          await apollo.stop();
          await store.close();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
