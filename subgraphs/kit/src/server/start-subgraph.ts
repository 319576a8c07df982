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
import { openStore, type Store } from "../store/open-store.ts";
import {
  type CallerContext,
  CONTEXT_HEADER,
  ContextRefused,
  createContextVerifier,
  GATEWAY_SUBJECT,
} from "../trust/context.ts";
import { loadContextVerifyKeys } from "../trust/key-config.ts";
import { type ContextJwk, importVerifyKeys } from "../trust/keys.ts";
import type { AnyAgency } from "./agency.ts";
import { objectTypeNames, SUBJECT_COUNTS_PATH, type SubjectCountsBody } from "./subject-counts.ts";

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
  /**
   * The gateway's public keys to trust; from `MASH_CONTEXT_VERIFY_KEYS` or the development key in
   * the data directory when not given.
   */
  contextVerifyKeys?: ContextJwk[];
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
  // Before the store opens, so a key misconfiguration stops the process naming the setting.
  const trust = options.contextVerifyKeys
    ? {
        value: await importVerifyKeys(options.contextVerifyKeys, "contextVerifyKeys"),
        source: "options",
      }
    : await loadContextVerifyKeys({ env });
  const verifyContext = createContextVerifier(trust.value, agency.name);
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
      // The entry points own SIGINT/SIGTERM (drain, then exit); Apollo's own handlers would race them.
      stopOnTerminationSignals: false,
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

    const callers = new WeakMap<IncomingMessage, CallerContext>();
    const handleGraphQL = graphqlHandler({
      server: apollo,
      context: async (req) => ({
        store,
        settings,
        loaders: agency.createLoaders(store),
        caller: callers.get(req),
      }),
    });

    /** The gateway-signed caller of a request, or undefined once the request is refused (401). */
    const verifiedCaller = async (
      req: IncomingMessage,
      refuse: (message: string) => void,
      what: string,
    ): Promise<CallerContext | undefined> => {
      const header = req.headers[CONTEXT_HEADER];
      try {
        return await verifyContext(Array.isArray(header) ? header.join(",") : header);
      } catch (error) {
        if (!(error instanceof ContextRefused)) throw error;
        logger.warn(`refused ${what} without a valid gateway context`, { reason: error.reason });
        refuse(error.message);
        return undefined;
      }
    };

    // Every GraphQL request, _entities and _service included, must carry the gateway's signature:
    // a subgraph reachable on the network must not be a way around the gateway's authorization.
    const graphql = async (req: IncomingMessage, res: ServerResponse) => {
      const caller = await verifiedCaller(
        req,
        (message) => sendGraphQLError(res, 401, message, "UNAUTHENTICATED"),
        "a request",
      );
      if (!caller) return;
      callers.set(req, caller);
      // At the end, so the line carries the outcome; rid joins it to the gateway's line.
      const started = performance.now();
      res.once("close", () =>
        logger.info("graphql request", {
          rid: caller.rid,
          status: res.writableFinished ? res.statusCode : 499,
          ms: Math.round(performance.now() - started),
        }),
      );
      await handleGraphQL(req, res);
    };

    // Root operation types hold no subject's records, so no count may be filed under them.
    const countableTypes = objectTypeNames(agency.typeDefs);
    for (const root of ["Query", "Mutation", "Subscription"]) countableTypes.delete(root);

    // Counts carry no record values, but how many people an agency knows, by kind of record, is
    // still the agency's information: only the gateway, acting for itself, gets them.
    const subjectCounts = async (req: IncomingMessage, res: ServerResponse) => {
      const caller = await verifiedCaller(
        req,
        (message) => sendJson(res, 401, { error: message, code: "UNAUTHENTICATED" }),
        "a subject count request",
      );
      if (!caller) return;
      // A user's context, taken from the gateway's traffic to this subgraph, still verifies for a
      // minute; it must not open a route the gateway only ever calls for itself.
      if (caller.sub !== GATEWAY_SUBJECT) {
        logger.warn("refused a subject count request made for a user", { rid: caller.rid });
        sendJson(res, 403, {
          error: "Subject counts are answered to the gateway's own requests only, not a user's.",
          code: "FORBIDDEN",
        });
        return;
      }
      if (req.method !== "GET") {
        res.setHeader("allow", "GET");
        sendJson(res, 405, { error: `${SUBJECT_COUNTS_PATH} answers GET only.` });
        return;
      }
      if (!agency.subjectCounts) {
        sendJson(res, 404, { error: `The ${agency.name} subgraph does not count subjects.` });
        return;
      }
      const started = performance.now();
      const counts = await agency.subjectCounts(store);
      // A count under a name that is not one of this subgraph's types would be matched to no
      // rule (or to another agency's type): fail loudly rather than mislead a governance officer.
      const strays = Object.keys(counts).filter((type) => !countableTypes.has(type));
      if (strays.length > 0)
        throw new Error(
          `subject counts name types the schema does not define: ${strays.join(", ")}`,
        );
      logger.info("subject counts", {
        rid: caller.rid,
        ms: Math.round(performance.now() - started),
      });
      const body: SubjectCountsBody = { agency: agency.name, counts };
      sendJson(res, 200, body);
    };

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
        graphql(req, res).catch((error: Error) => {
          logger.error("request failed", { error: error.message });
          if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal error" }] });
          else res.end();
        });
        return;
      }
      if (path === SUBJECT_COUNTS_PATH) {
        subjectCounts(req, res).catch((error: Error) => {
          logger.error("subject counts failed", { error: error.message });
          if (!res.headersSent) sendJson(res, 500, { error: "Internal error" });
          else res.end();
        });
        return;
      }
      sendJson(res, 404, { error: `Nothing at ${path}; the subgraph answers at /graphql.` });
    });
    const host = options.host ?? env.HOST ?? "127.0.0.1";
    const port = await listen(http, options.port ?? agency.defaultPort, host);
    const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/graphql`;
    logger.info("subgraph ready", { url, store: store.dialect, contextKeys: trust.source });

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
