import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { countFrom, type StoreConfig, storeConfigFor } from "../config.ts";
import { close, graphqlHandler, listen, sendGraphQLError, sendJson } from "../http/index.ts";
import { createLogger, type Logger } from "../logger.ts";
import { DEFAULT_SUBJECTS, generatePopulation } from "../population/generate.ts";
import { type Progress, silentProgress } from "../seed/progress.ts";
import { seedStore, storeIsEmpty } from "../seed/seed-store.ts";
import { BodyTooLarge, createGate, readRawBody, withBody } from "../served/gate.ts";
import {
  noOperation,
  OPERATION_FACTS,
  type OperationFacts,
  operationFactsPlugin,
} from "../served/operation-facts.ts";
import { createServedLog, type ServedLog } from "../served/served-log.ts";
import { SERVED_TABLE, servedMigrations } from "../served/table.ts";
import { checkStore } from "../store/check-store.ts";
import { openStore, type Store } from "../store/open-store.ts";
import { type CallerContext, createContextVerifier } from "../trust/context.ts";
import { loadContextVerifyKeys } from "../trust/key-config.ts";
import { type ContextJwk, importVerifyKeys } from "../trust/keys.ts";
import { httpsServer, type SubgraphTls, subgraphTlsFrom } from "../trust/tls-config.ts";
import type { AnyAgency } from "./agency.ts";
import {
  answerHealth,
  logStoreDamage,
  sendStoreDamaged,
  storeDamagePlugin,
} from "./store-unavailable.ts";
import { SUBJECT_COUNTS_PATH } from "./subject-counts.ts";
import { subjectCountsRoute } from "./subject-counts-route.ts";

type Env = Record<string, string | undefined>;

export interface StartSubgraphOptions {
  port?: number;
  host?: string;
  /** The settings the agency reads (store, keys, TLS, its own), as the entry point was given them. */
  env: Env;
  /** Where the store lives; from the environment when not given. */
  store?: StoreConfig;
  /** How many synthetic subjects to seed an empty store with (`MASH_SEED_SUBJECTS`, 2000). */
  seedSubjects?: number;
  progress?: Progress;
  logger?: Logger;
  /**
   * The gateway's public keys to trust; from `MASH_CONTEXT_VERIFY_KEYS` or the development key in
   * the data directory when not given.
   */
  contextVerifyKeys?: ContextJwk[];
  /** Serve HTTPS, and require client certificates; from `MASH_TLS_*` when not given. */
  tls?: SubgraphTls;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  store: Store<unknown>;
  /** Its record of what it served and refused (served/); `flush()` writes what is queued. */
  servedLog: Pick<ServedLog, "flush">;
  stop(): Promise<void>;
}

/** The largest body a subgraph reads: an `_entities` call naming every subject of a long list. */
const MAX_BODY_BYTES = 1_000_000;

export async function startSubgraph(
  agency: AnyAgency,
  options: StartSubgraphOptions,
): Promise<RunningSubgraph> {
  const { env } = options;
  const logger = options.logger ?? createLogger(agency.name);
  const settings = agency.settings?.(env);
  // Before the store opens, so a key or certificate misconfiguration stops the process naming it.
  const trust = options.contextVerifyKeys
    ? {
        value: await importVerifyKeys(options.contextVerifyKeys, "contextVerifyKeys"),
        source: "options",
      }
    : await loadContextVerifyKeys({ env });
  const tls = options.tls ?? subgraphTlsFrom(env);
  let found = "at start";
  const store = await openStore<unknown>({
    agency: agency.name,
    config: options.store ?? storeConfigFor(agency.name, env),
    migrations: agency.migrations,
    // The served log (served/): every agency's own record of what it served, the hub's included.
    kitMigrations: servedMigrations,
    // A damaged store is this agency unavailable, not a subgraph that will not start: the
    // gateway still composes the graph and the other agencies are still served.
    onDamage: (damage) => logStoreDamage(logger, damage, found),
  });
  const servedLog = createServedLog(store, { logger });
  const gate = createGate({
    verify: createContextVerifier(trust.value, agency.name),
    log: servedLog,
    logger,
  });

  try {
    const checkStarted = performance.now();
    await checkStore(store, [...agency.tables, SERVED_TABLE]);
    const storeCheckMs = Math.round(performance.now() - checkStarted);
    found = "by a query";
    // Never seeded when damaged: a table that cannot be read is not an empty one.
    if (!store.damage && (await storeIsEmpty(agency, store))) {
      const subjects =
        options.seedSubjects ?? countFrom(env, "MASH_SEED_SUBJECTS", DEFAULT_SUBJECTS);
      const started = Date.now();
      await seedStore(
        agency,
        store,
        generatePopulation({ subjects }),
        options.progress ?? silentProgress,
        settings,
      );
      logger.info("seeded an empty store", { subjects, ms: Date.now() - started });
    }

    const apollo = new ApolloServer({
      // The entry points own SIGINT/SIGTERM (drain, then exit); Apollo's own handlers would race them.
      stopOnTerminationSignals: false,
      schema: buildSubgraphSchema({
        typeDefs: agency.typeDefs,
        // The map is typed against this agency's context; Apollo's builder only knows `unknown`.
        resolvers: agency.resolvers as GraphQLResolverMap<unknown>,
      }),
      plugins: [
        // Traces would carry timing of other agencies' data to whoever asks; nothing reports them.
        ApolloServerPluginInlineTraceDisabled(),
        // What each request's operation was, for its served-log entry.
        operationFactsPlugin(),
        // A damaged store: 503 to all but the schema, so the gateway names the agency unavailable.
        storeDamagePlugin(store),
      ],
      includeStacktraceInErrorResponses: false,
    });
    await apollo.start();

    const admitted = new WeakMap<
      IncomingMessage,
      { caller: CallerContext; facts: OperationFacts }
    >();
    const handleGraphQL = graphqlHandler({
      server: apollo,
      maxBodyBytes: MAX_BODY_BYTES,
      context: async (req) => {
        const request = admitted.get(req);
        return {
          store,
          settings,
          loaders: agency.createLoaders(store),
          caller: request?.caller,
          [OPERATION_FACTS]: request?.facts,
        };
      },
    });

    /** The body as it came, read before anything else: the context is checked against it. */
    const bodyOf = async (req: IncomingMessage, refuse: (message: string) => void) => {
      try {
        return await readRawBody(req, MAX_BODY_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        refuse(error.message);
        return undefined;
      }
    };

    // Every GraphQL request, _entities and _service included, must carry the gateway's signature
    // over this very body, used once: a subgraph reachable on the network must be no way around
    // the gateway's authorization, nor a token taken from its traffic a key to this subgraph.
    const graphql = async (req: IncomingMessage, res: ServerResponse) => {
      const refuse = (status: number, message: string, code: string) =>
        sendGraphQLError(res, status, message, code);
      const body = await bodyOf(req, (message) => refuse(413, message, "PAYLOAD_TOO_LARGE"));
      if (!body) return;
      const request = await gate.admit(req, body, refuse, "a request");
      if (!request) return;
      const { caller } = request.verified;
      // The gateway only POSTs: a GET carries its operation in the URL, which no context covers.
      if (req.method !== "POST") {
        gate.refused(request, "method", 405);
        res.setHeader("allow", "POST");
        refuse(405, "This subgraph answers GraphQL over POST only.", "METHOD_NOT_ALLOWED");
        return;
      }
      const facts = noOperation();
      const again = withBody(req, body);
      admitted.set(again, { caller, facts });
      // At the end, so the entry and the line carry the outcome; rid joins them to the gateway's.
      const started = performance.now();
      res.once("close", () => {
        const status = res.writableFinished ? res.statusCode : 499;
        gate.served(request, facts, status);
        logger.info("graphql request", {
          rid: caller.rid,
          status,
          ms: Math.round(performance.now() - started),
        });
      });
      await handleGraphQL(again, res);
    };

    const subjectCounts = subjectCountsRoute({ agency, store, gate, logger, bodyOf });

    const route = (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/health") {
        answerHealth(store, logger, res);
        return;
      }
      // A failure the store's damage explains is that 503, not an internal error.
      const failed = (what: string, internal: () => void) => (error: Error) => {
        if (!store.damage) logger.error(`${what} failed`, { error: error.message });
        if (res.headersSent) res.end();
        else if (store.damage) sendStoreDamaged(res, agency.name);
        else internal();
      };
      if (path === "/graphql") {
        graphql(req, res).catch(
          failed("request", () => sendJson(res, 500, { errors: [{ message: "Internal error" }] })),
        );
        return;
      }
      if (path === SUBJECT_COUNTS_PATH) {
        subjectCounts(req, res).catch(
          failed("subject counts", () => sendJson(res, 500, { error: "Internal error" })),
        );
        return;
      }
      sendJson(res, 404, { error: `Nothing at ${path}; the subgraph answers at /graphql.` });
    };
    const http = tls ? httpsServer(tls, route) : createServer(route);
    const host = options.host ?? env.HOST ?? "127.0.0.1";
    const port = await listen(http, options.port ?? agency.defaultPort, host);
    const scheme = tls ? "https" : "http";
    const url = `${scheme}://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/graphql`;
    logger.info("subgraph ready", {
      url,
      store: store.dialect,
      storeCheckMs,
      ...(store.damage ? { storeDamaged: true } : {}),
      contextKeys: trust.source,
      tls: !tls ? "off" : tls.clientCa ? "mutual" : "server",
    });

    let stopped: Promise<void> | undefined;
    return {
      name: agency.name,
      url,
      port,
      store,
      servedLog,
      // Idempotent: a test or a signal handler may stop a subgraph that is already stopping.
      stop() {
        stopped ??= (async () => {
          await close(http);
          await apollo.stop();
          // After the last response: its entry is queued when the response closes.
          await servedLog.close();
          await store.close();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await servedLog.close();
    await store.close();
    throw error;
  }
}
