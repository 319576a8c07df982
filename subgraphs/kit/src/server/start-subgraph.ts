import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { countFrom, type StoreConfig, storeConfigFor } from "../config.ts";
import { close, listen, sendJson } from "../http/index.ts";
import { createLogger, type Logger } from "../logger.ts";
import { DEFAULT_SUBJECTS, generatePopulation } from "../population/generate.ts";
import { type Progress, silentProgress } from "../seed/progress.ts";
import { seedStore, storeIsEmpty } from "../seed/seed-store.ts";
import { createGate } from "../served/gate.ts";
import { createServedLog, type ServedLog } from "../served/served-log.ts";
import { SERVED_TABLE, servedMigrations } from "../served/table.ts";
import { checkStore } from "../store/check-store.ts";
import { openStore, type Store } from "../store/open-store.ts";
import { createContextVerifier } from "../trust/context.ts";
import { loadContextVerifyKeys } from "../trust/key-config.ts";
import { type ContextJwk, importVerifyKeys } from "../trust/keys.ts";
import { httpsServer, type SubgraphTls, subgraphTlsFrom } from "../trust/tls-config.ts";
import type { AnyAgency } from "./agency.ts";
import { graphqlRoute } from "./graphql-route.ts";
import { readBodyOrRefuse } from "./read-body.ts";
import { answerHealth, logStoreDamage, sendStoreDamaged } from "./store-unavailable.ts";
import { startSubgraphApollo } from "./subgraph-apollo.ts";
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

    const apollo = await startSubgraphApollo(agency, store);
    const graphql = graphqlRoute({ apollo, agency, store, settings, gate, logger });
    const subjectCounts = subjectCountsRoute({
      agency,
      store,
      gate,
      logger,
      bodyOf: readBodyOrRefuse,
    });

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
