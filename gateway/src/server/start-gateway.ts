import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import {
  type ContextSigningKey,
  createLogger,
  type Logger,
  loadContextSigningKey,
} from "@mash/kit";
import { close, graphqlHandler, listen, sendJson } from "@mash/kit/http";
import { buildASTSchema, type GraphQLSchema, parse } from "graphql";
import { connectNatsNotifier, type NatsNotifier } from "../audit/nats-notify.ts";
import { recordRefusal, refusedRequestsPlugin } from "../audit/refusals.ts";
import { type AuditLog, type AuditStore, openAuditStore } from "../audit/store.ts";
import { AuthorizingGateway } from "../authz/authorizing-gateway.ts";
import { planGuard } from "../authz/plan-guard.ts";
import type { PolicyHolder } from "../authz/policy-holder.ts";
import { createPurposeResolver } from "../authz/purpose.ts";
import { loadSupergraph } from "../compose/load-supergraph.ts";
import type { GatewayConfig } from "../config.ts";
import { createConsoleHandler } from "../console/serve.ts";
import { ensureDataDir } from "../data-dir.ts";
import { createGovernanceApi } from "../governance/api.ts";
import { governanceResolvers } from "../governance/mount.ts";
import { startPolicyRuntime } from "../governance/policy-runtime.ts";
import { followPurposeChanges, type PublicationFollower } from "../governance/policy-sync.ts";
import { runAsThrough } from "../governance/run-as.ts";
import { createSubjectCounts } from "../governance/subject-counts.ts";
import { checkSubgraphs } from "../health/subgraph-health.ts";
import { type IdentityConfig, loadIdentityConfig } from "../identity/config.ts";
import { loadDevSigningKey } from "../identity/dev-keys.ts";
import { createVerifier } from "../identity/verify.ts";
import { operationTypeExistsRule, queryLimitsRule } from "../limits/query-limits.ts";
import { createRateLimiter } from "../limits/rate-limit.ts";
import { devRoutes } from "./dev-routes.ts";
import { errorLogPlugin, formatError } from "./error-format.ts";
import { handleCors, setSecurityHeaders } from "./http-policy.ts";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics.ts";
import { carriesOperatorToken, type MetricsAccess, refuseMetrics } from "./metrics-access.ts";
import { purposeFreshnessPlugin } from "./purpose-freshness.ts";
import { authorizeRequest, type GatewayContext, RequestRefused } from "./request-auth.ts";
import { contextSigner, gatewayCaller, SigningDataSource } from "./subgraph-context.ts";

export interface RunningGateway {
  url: string;
  port: number;
  /** The operator's metrics listener (MASH_METRICS_ADDRESS), when there is one. */
  metricsUrl: string | undefined;
  /** Where the supergraph came from: a file, or the running subgraphs. */
  supergraphSource: string;
  policies: PolicyHolder;
  stop(): Promise<void>;
}

export const DEVELOPMENT_IDENTITY_WARNING =
  "Development identity: anyone who reaches this gateway can sign in as a fixture user. Configure MASH_AUTH_ISSUER for real use; load synthetic data only.";

export interface GatewayOptions {
  logger?: Logger;
  identity?: IdentityConfig;
  /**
   * "enforce" applies the sharing rules. "off" returns every field to any signed-in caller and
   * exists only so benchmarks can measure what enforcement costs; nothing else may use it.
   */
  authorization?: "enforce" | "off";
  /** Follow policy file edits (default true). */
  watchPolicies?: boolean;
  /**
   * The key subgraph contexts are signed with; from `MASH_CONTEXT_SIGNING_KEY`, else the
   * development key in the identity's data directory, when not given.
   */
  contextKey?: ContextSigningKey;
  /**
   * The access log; by default the store `config.audit` names, else `audit.sqlite` in the
   * identity's data directory. Given here, the caller owns it (the gateway does not close it).
   */
  audit?: AuditLog;
}

export async function startGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger("gateway");
  const identity = options.identity ?? loadIdentityConfig();
  // Checked first, so a data directory that cannot be used is named as MASH_DATA_DIR.
  const usesDataDir =
    identity.mode === "development" ||
    (!options.contextKey && !process.env.MASH_CONTEXT_SIGNING_KEY) ||
    (!options.audit && !config.audit.store && options.authorization !== "off") ||
    !config.governance.store;
  if (usesDataDir) ensureDataDir(identity.dataDir);
  // The gateway otherwise reports usage telemetry to Apollo; a safeguarding hub sends nothing out.
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  const contextKey = options.contextKey ?? (await loadDevOrConfiguredKey(identity, logger));
  const sign = contextSigner(contextKey);
  const supergraph = await loadSupergraph(config, (name) => sign(name, gatewayCaller()));
  const runtime = await startPolicyRuntime({
    config,
    dataDir: identity.dataDir,
    supergraphSdl: supergraph.sdl,
    logger,
    watch: options.watchPolicies,
  });
  const { policies, shadow } = runtime;
  const metrics = createGatewayMetrics(logger);
  const enforce = options.authorization !== "off";
  let ownAudit: AuditStore | undefined;
  let purposes: PublicationFollower | undefined;
  let nats: NatsNotifier | undefined;
  try {
    // Every answered request is recorded; a gateway that cannot open its log does not start.
    if (enforce && !options.audit) {
      ownAudit = await openAuditStore(
        config.audit.store ?? { kind: "sqlite", file: join(identity.dataDir, "audit.sqlite") },
      );
    }
    const audit = options.audit ?? ownAudit;
    // Officers query the log the gateway writes; a caller-supplied log is queryable if it is a store.
    const auditStore =
      audit && "store" in audit && "onCommitted" in audit ? (audit as AuditStore) : undefined;
    if (auditStore && config.audit.nats) {
      nats = await connectNatsNotifier(config.audit.nats, logger);
      const publisher = nats;
      auditStore.onCommitted((records) => publisher.publish(records));
      logger.info("owner notifications also published to NATS", {
        subject: `${config.audit.nats.subject}.<agency>`,
      });
    }
    // From the supergraph file's own names and URLs (MASH_SUBGRAPH_URLS laid over), or the
    // subgraphs composed at start: the same list for fetches, health and subject counts.
    const urlOf = new Map(supergraph.subgraphs.map((s) => [s.name, s.url]));
    const hub = policies.authority().policy;
    const hubSubgraph = hub.agencies.get(hub.hub)?.subgraphs[0] ?? hub.hub;
    const hubUrl = urlOf.get(hubSubgraph);
    if (!hubUrl)
      throw new Error(`No URL for the hub's subgraph "${hub.hub}" among the configured subgraphs.`);

    let apiSchema: GraphQLSchema | undefined;
    // The plan guard places every field a fetch names, @inaccessible ones included.
    let supergraphSchema: GraphQLSchema | undefined;
    const gateway = new ApolloGateway({
      supergraphSdl: supergraph.sdl,
      // Query plans name every subgraph and field fetched; no client may ask for them.
      __exposeQueryPlanExperimental: false,
      experimental_didResolveQueryPlan: planGuard(() => supergraphSchema),
      buildService: ({ name, url }) => {
        const target = urlOf.get(name) ?? url;
        if (!target) throw new Error(`No URL for subgraph "${name}" in the supergraph or config.`);
        return new SigningDataSource(name, target, sign, {
          timeoutMs: config.subgraphRequestTimeoutMs,
          logger,
          metrics: metrics.fetches,
        });
      },
      logger: {
        debug: () => {},
        info: (m) => logger.info(String(m)),
        warn: (m) => logger.warn(String(m)),
        // A supergraph composed without a subgraph's routing URL makes ApolloGateway log this
        // even when MASH_SUBGRAPH_URLS gives one (buildService uses it): no error then.
        error: (m) => {
          const missing = /^Service definition for service (.+) is missing a url$/.exec(String(m));
          if (!missing || !urlOf.has(missing[1] as string)) logger.error(String(m));
        },
      },
    });
    gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
      apiSchema = schema;
      supergraphSchema = buildASTSchema(parse(coreSupergraphSdl), { assumeValidSDL: true });
    });
    const authorizing = enforce
      ? new AuthorizingGateway(
          gateway,
          () => policies.authority(),
          audit,
          (error, rid) =>
            logger.error("audit record not written; the request got no data", {
              rid,
              error: error.message,
            }),
          (observation) => shadow.observe(observation),
        )
      : undefined;
    const served: GatewayInterface = authorizing ?? gateway;
    const resolveEnquiry = createPurposeResolver({
      hubUrl,
      timeoutMs: config.subgraphTimeoutMs,
      signContext: (requestId) => sign(hubSubgraph, gatewayCaller(requestId)),
    });
    // Purposes that a mutation through any other gateway may have ended are forgotten here too.
    purposes = followPurposeChanges({
      store: runtime.store,
      onChange: resolveEnquiry.forget,
      logger,
    });
    const apollo = new ApolloServer<GatewayContext>({
      // The entry points own SIGINT/SIGTERM (drain, then exit); Apollo's own handlers would race them.
      stopOnTerminationSignals: false,
      gateway: served,
      includeStacktraceInErrorResponses: false,
      formatError,
      // Bounds checked before planning: a token flood is refused by the parser, depth, aliases
      // and cost by validation.
      parseOptions: { maxTokens: config.limits.maxTokens },
      validationRules: [operationTypeExistsRule, queryLimitsRule(config.limits)],
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginSchemaReportingDisabled(),
        metrics.plugin,
        errorLogPlugin(logger),
        purposeFreshnessPlugin({
          forget: resolveEnquiry.forget,
          announce: () => runtime.store.announcePurposeChange(),
          logger,
        }),
        ...(audit ? [refusedRequestsPlugin(audit, logger)] : []),
        // Validation errors as the requester's role schema gives them (authz/role-schema.ts).
        ...(authorizing ? [authorizing.validationPlugin()] : []),
      ],
    });
    await apollo.start();

    const verify = await createVerifier(identity);
    const contexts = new WeakMap<IncomingMessage, GatewayContext>();
    const handleGraphQL = graphqlHandler<GatewayContext>({
      server: apollo,
      maxBodyBytes: config.maxBodyBytes,
      context: async (req) => contexts.get(req) as GatewayContext,
    });
    const rateLimiter = createRateLimiter(config.rateLimit, logger);
    const handleConsole = createConsoleHandler();
    const handleGovernance = createGovernanceApi({
      verify,
      authority: () => policies.authority(),
      audit,
      resolvers: governanceResolvers({
        auditStore,
        runtime,
        supergraphSdl: supergraph.sdl,
        policiesDir: config.policiesDir,
        subjectCounts: createSubjectCounts({
          subgraphs: supergraph.subgraphs,
          sign: (name) => sign(name, gatewayCaller()),
          timeoutMs: config.subgraphTimeoutMs,
        }),
        logger,
        schema: () => apiSchema,
        resolveEnquiry,
        runAs: runAsThrough(apollo),
      }),
      logger,
      maxBodyBytes: config.maxBodyBytes,
      maxTokens: config.limits.maxTokens,
    });
    const handleDev =
      identity.mode === "development"
        ? devRoutes(await loadDevSigningKey(identity.dataDir), identity.audience)
        : () => false;

    const health = async (res: ServerResponse) => {
      const results = await checkSubgraphs(supergraph.subgraphs, config.subgraphTimeoutMs);
      const down = results.filter((r) => !r.ok);
      sendJson(res, down.length ? 503 : 200, {
        status: down.length ? "unavailable" : "ok",
        supergraph: "loaded",
        policies: policies.authority().policy.version,
        subgraphs: Object.fromEntries(results.map((r) => [r.name, r.ok ? "ok" : r.problem])),
        ...(down.length ? { unavailable: down.map((r) => r.name) } : {}),
      });
    };

    const graphql = async (req: IncomingMessage, res: ServerResponse, requestId: string) => {
      metrics.track(res, requestId, () => contexts.get(req));
      try {
        contexts.set(
          req,
          await authorizeRequest(
            req,
            { verify, resolveEnquiry, authority: () => policies.authority() },
            requestId,
          ),
        );
      } catch (error) {
        if (!(error instanceof RequestRefused)) throw error;
        if (audit) await recordRefusal(audit, logger, { requestId }, error.code);
        if (error.status === 401) res.setHeader("www-authenticate", 'Bearer realm="mash-gateway"');
        sendJson(res, error.status, {
          errors: [{ message: error.message, extensions: { code: error.code } }],
        });
        return;
      }
      const context = contexts.get(req) as GatewayContext;
      if (await rateLimiter.refuse(context.principal.id, res)) {
        if (audit) await recordRefusal(audit, logger, context, "RATE_LIMITED");
        return;
      }
      await handleGraphQL(req, res);
    };

    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      // One id per client request: the client gets it back, and every subgraph fetch logs it.
      const requestId = randomUUID();
      res.setHeader("x-request-id", requestId);
      setSecurityHeaders(res);
      if (handleCors(req, res, config.corsOrigins)) return;
      const failed = (error: Error) => {
        logger.error("request failed", { path, rid: requestId, error: error.message });
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal error" }] });
        else res.end();
      };
      if (path === "/health" && (req.method === "GET" || req.method === "HEAD")) {
        health(res).catch(failed);
        return;
      }
      // For the operator only (metrics-access.ts): here with their credential, or not at all.
      if (path === "/metrics") {
        const { token } = config.metrics;
        if (token !== undefined && carriesOperatorToken(req, token))
          metrics.serve(req, res).catch(failed);
        else refuseMetrics(res, config.metrics);
        return;
      }
      if (handleConsole(req, res) || handleDev(req, res, path)) return;
      if (path === "/graphql") {
        graphql(req, res, requestId).catch(failed);
        return;
      }
      if (path === "/governance/graphql") {
        handleGovernance(req, res, requestId).catch(failed);
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
    const operator = config.metrics.address
      ? await serveOperatorMetrics(config.metrics.address, metrics, logger)
      : undefined;
    const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}/graphql`;
    logger.info("gateway ready", {
      url,
      supergraph: supergraph.source,
      identity:
        identity.mode === "development"
          ? "development sign-in (tokens from npm run token)"
          : `external issuer ${identity.issuer}`,
      authorization: enforce ? "enforced" : "OFF",
    });
    if (identity.mode === "development") {
      logger.warn(DEVELOPMENT_IDENTITY_WARNING);
    }

    return {
      url,
      port,
      metricsUrl: operator?.url,
      supergraphSource: supergraph.source,
      policies,
      async stop() {
        await purposes?.stop();
        await runtime.close();
        await close(http);
        if (operator) await close(operator.server);
        await apollo.stop();
        await rateLimiter.close();
        metrics.stop();
        await nats?.close();
        await ownAudit?.close();
      },
    };
  } catch (error) {
    await purposes?.stop().catch(() => {});
    await runtime.close().catch(() => {});
    metrics.stop();
    await nats?.close().catch(() => {});
    await ownAudit?.close().catch(() => {});
    throw error;
  }
}

async function loadDevOrConfiguredKey(
  identity: IdentityConfig,
  logger: Logger,
): Promise<ContextSigningKey> {
  const loaded = await loadContextSigningKey({ dataDir: identity.dataDir });
  if (!loaded) throw new Error("No subgraph context signing key could be made.");
  // Development sign-in already warns that this gateway is for development; say it only otherwise.
  if (loaded.development && identity.mode !== "development")
    logger.warn(
      `MASH_CONTEXT_SIGNING_KEY is not set: subgraph contexts are signed with the development key in ${loaded.source}.`,
    );
  logger.info("subgraph contexts signed", { kid: loaded.value.kid, key: loaded.source });
  return loaded.value;
}

/** The operator's own listener: /metrics without a credential, nothing else. */
async function serveOperatorMetrics(
  address: NonNullable<MetricsAccess["address"]>,
  metrics: GatewayMetrics,
  logger: Logger,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      sendJson(res, 404, { error: "Only /metrics is served here." });
      return;
    }
    metrics.serve(req, res).catch((error: Error) => {
      logger.error("metrics failed", { error: error.message });
      if (!res.headersSent) sendJson(res, 500, { error: "Internal error" });
    });
  });
  const port = await listen(server, address.port, address.host);
  const host = address.host === "0.0.0.0" ? "127.0.0.1" : address.host;
  return { server, url: `http://${host}:${port}/metrics` };
}
