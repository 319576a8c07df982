import { createServer, type ServerResponse } from "node:http";
import { type ContextSigningKey, createLogger, type Logger } from "@mash/kit";
import { close, listen, sendJson } from "@mash/kit/http";
import { createRefusalAggregates, type RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { AuditLog } from "../audit/store.ts";
import { AuthorizingGateway } from "../authz/authorizing-gateway.ts";
import { createPurposeResolver } from "../authz/purpose.ts";
import { rawResultsAvailable } from "../authz/raw-results.ts";
import { loadSupergraph } from "../compose/load-supergraph.ts";
import type { GatewayConfig } from "../config.ts";
import { ensureDataDir } from "../data-dir.ts";
import { createGovernanceApi } from "../governance/api.ts";
import { governanceResolvers } from "../governance/mount.ts";
import type { PolicyHolder } from "../governance/policy-holder.ts";
import { startPolicyRuntime } from "../governance/policy-runtime.ts";
import { followPurposeChanges, type PublicationFollower } from "../governance/policy-sync.ts";
import { createSubjectCounts } from "../governance/subject-counts.ts";
import type { IdentityConfig } from "../identity/config.ts";
import { loadDevSigningKey } from "../identity/dev-keys.ts";
import { createVerifier } from "../identity/verify.ts";
import { createConsoleHandler } from "../static-apps/serve.ts";
import { createWorkspaceHandler } from "../static-apps/workspace-serve.ts";
import { createSubgraphTransport } from "../transport/subgraph-transport.ts";
import { type AccessLogStore, openAccessLog } from "./access-log-store.ts";
import { createApolloServer } from "./apollo-server.ts";
import { refuseApolloTelemetry } from "./apollo-telemetry.ts";
import { authConfigRoute, identityProviderOrigin } from "./auth-config-route.ts";
import { loadDevOrConfiguredKey } from "./context-key.ts";
import { devRoutes } from "./dev-routes.ts";
import { createFederation } from "./federation.ts";
import { graphPipeline } from "./graph-pipeline.ts";
import { healthHandler } from "./health.ts";
import { createGatewayMetrics } from "./metrics.ts";
import { carriesOperatorToken, refuseMetrics } from "./metrics-access.ts";
import { serveOperatorMetrics } from "./operator-metrics.ts";
import { createRateLimiters, type RateLimiters } from "./rate-limiters.ts";
import { type Api, createRouter } from "./routes.ts";
import { contextSigner, gatewayCaller } from "./subgraph-context.ts";

export interface RunningGateway {
  url: string;
  port: number;
  /** The operator's metrics listener (MASH_METRICS_ADDRESS), when there is one. */
  metricsUrl: string | undefined;
  /** Where the supergraph came from: a file, or the running subgraphs. */
  supergraphSource: string;
  policies: PolicyHolder;
  /** Writes the pending aggregates of refused anonymous requests now (they close each minute). */
  flushRefusalAggregates(): Promise<void>;
  /**
   * The first step of a graceful stop: requests are still served, but /health answers 503
   * `draining` and every answer closes its connection, so that a load balancer takes this
   * gateway out (and holds no idle connection to it) before stop() closes the listener.
   */
  drain(): void;
  stop(): Promise<void>;
}

export const DEVELOPMENT_IDENTITY_WARNING =
  "Development identity: anyone who reaches this gateway can sign in as a fixture user. Configure MASH_AUTH_ISSUER for real use; load synthetic data only.";

export interface GatewayOptions {
  logger?: Logger;
  /** How people sign in (loadIdentityConfig, from the entry point's environment). */
  identity: IdentityConfig;
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
  options: GatewayOptions,
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger("gateway");
  const { identity } = options;
  // Checked first, so a data directory that cannot be used is named as MASH_DATA_DIR.
  const usesDataDir =
    identity.mode === "development" ||
    (!options.contextKey && !config.contextSigningKey) ||
    (!options.audit && !config.audit.store && options.authorization !== "off") ||
    !config.governance.store;
  if (usesDataDir) ensureDataDir(identity.dataDir);
  refuseApolloTelemetry();
  const contextKey =
    options.contextKey ??
    (await loadDevOrConfiguredKey(config.contextSigningKey, identity, logger));
  const sign = contextSigner(contextKey);
  // Every request to a subgraph goes this way: the configured CA, the client certificate.
  const transport = createSubgraphTransport(config.subgraphTls);
  const supergraph = await loadSupergraph(
    config,
    (name, body) => sign(name, gatewayCaller(), body),
    transport,
  ).catch(async (error: unknown) => {
    await transport.close();
    throw error;
  });
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
  let accessLog: AccessLogStore | undefined;
  let purposes: PublicationFollower | undefined;
  let aggregates: RefusalAggregates | undefined;
  let limiters: RateLimiters | undefined;
  try {
    // Every answered request is recorded; a gateway that cannot open its log does not start.
    accessLog = await openAccessLog({
      config,
      options,
      dataDir: identity.dataDir,
      enforce,
      logger,
    });
    const { audit, auditStore } = accessLog;
    // From the supergraph file's own names and URLs (MASH_SUBGRAPH_URLS laid over), or the
    // subgraphs composed at start: the same list for fetches, health and subject counts.
    const urlOf = new Map(supergraph.subgraphs.map((s) => [s.name, s.url]));
    const hub = policies.authority().policy;
    const hubSubgraph = hub.agencies.get(hub.hub)?.subgraphs[0] ?? hub.hub;
    const hubUrl = urlOf.get(hubSubgraph);
    if (!hubUrl)
      throw new Error(`No URL for the hub's subgraph "${hub.hub}" among the configured subgraphs.`);

    // Without the hook every answer is shaped by Apollo and then judged: correct, but slower.
    if (enforce && !rawResultsAvailable)
      logger.warn(
        "Apollo's result shaping cannot be skipped in this build: answers are walked twice",
      );
    const federation = createFederation({
      supergraphSdl: supergraph.sdl,
      urlOf,
      sign,
      transport,
      timeoutMs: config.subgraphRequestTimeoutMs,
      logger,
      metrics: metrics.fetches,
    });
    const { gateway } = federation;
    const authorizing = enforce
      ? new AuthorizingGateway(
          gateway,
          () => policies.authority(),
          (observation) => shadow.observe(observation),
        )
      : undefined;
    const resolveEnquiry = createPurposeResolver({
      hubUrl,
      timeoutMs: config.subgraphTimeoutMs,
      signContext: (requestId, body) => sign(hubSubgraph, gatewayCaller(requestId), body),
      transport,
    });
    // Purposes that a mutation through any other gateway may have ended are forgotten here too.
    purposes = followPurposeChanges({
      store: runtime.store,
      onChange: resolveEnquiry.forget,
      logger,
    });
    const apollo = createApolloServer({
      served: authorizing ?? gateway,
      validation: authorizing?.validationPlugin(),
      forgetPurposes: resolveEnquiry.forget,
      announcePurposeChange: () => runtime.store.announcePurposeChange(),
      logger,
    });
    await apollo.start();

    const verify = await createVerifier(identity);
    limiters = createRateLimiters(config, logger);
    const { users: rateLimiter, anonymous, officers } = limiters;
    if (audit) aggregates = createRefusalAggregates({ audit, logger });
    const access = audit && aggregates ? { audit, aggregates } : undefined;
    const graph = graphPipeline({
      logger,
      metrics,
      access,
      verify,
      anonymous,
      rateLimiter,
      resolveEnquiry,
      authority: () => policies.authority(),
      maxBodyBytes: config.maxBodyBytes,
      maxTokens: config.limits.maxTokens,
      limits: config.limits,
      schema: federation.apiSchema,
      apollo,
    });
    const governance = createGovernanceApi({
      verify,
      authority: () => policies.authority(),
      access,
      anonymous,
      rateLimiter: officers,
      resolvers: governanceResolvers({
        auditStore,
        runtime,
        supergraphSdl: supergraph.sdl,
        policiesDir: config.policiesDir,
        impactMinCount: config.governance.impactMinCount,
        subjectCounts: createSubjectCounts({
          subgraphs: supergraph.subgraphs,
          sign: (name) => sign(name, gatewayCaller(), ""),
          timeoutMs: config.subgraphTimeoutMs,
          fetch: transport.fetch,
        }),
        logger,
      }),
      logger,
      maxBodyBytes: config.maxBodyBytes,
      maxTokens: config.limits.maxTokens,
    });
    let draining = false;
    const unlessDraining =
      (health: (res: ServerResponse) => Promise<void>) => async (res: ServerResponse) =>
        draining ? sendJson(res, 503, { status: "draining" }) : health(res);
    const handleConsole = createConsoleHandler({
      identityProviderOrigin: identityProviderOrigin(identity),
    });
    const handleWorkspace = createWorkspaceHandler({
      identityProviderOrigin: identityProviderOrigin(identity),
    });
    const handleDev =
      identity.mode === "development"
        ? devRoutes(await loadDevSigningKey(identity.dataDir), identity.audience)
        : () => false;

    const http = createServer(
      createRouter({
        logger,
        corsOrigins: config.corsOrigins,
        health: unlessDraining(
          healthHandler({
            subgraphs: supergraph.subgraphs,
            timeoutMs: config.subgraphTimeoutMs,
            transport,
            policyVersion: () => policies.authority().policy.version,
          }),
        ),
        // Listening means the supergraph and the policies are loaded: ready, unless stopping.
        ready: (res) =>
          draining
            ? sendJson(res, 503, { status: "draining" })
            : sendJson(res, 200, {
                status: "ready",
                policies: policies.authority().policy.version,
              }),
        // For the operator only (metrics-access.ts): here with their credential, or not at all.
        metrics: (req, res) => {
          const { token } = config.metrics;
          if (token !== undefined && carriesOperatorToken(req, token))
            return metrics.serve(req, res);
          refuseMetrics(res, config.metrics);
        },
        assets: [
          (req, res) => handleConsole(req, res),
          (req, res) => handleWorkspace(req, res),
          handleDev,
          authConfigRoute(identity),
        ],
        apis: { "/graphql": graph as Api, "/governance/graphql": governance as Api },
      }),
    );
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
      flushRefusalAggregates: async () => {
        await aggregates?.flush();
      },
      drain() {
        if (draining) return;
        draining = true;
        // Before the router: an answer written at once (the 503 below, a 404, a preflight) must
        // close its connection too.
        http.prependListener("request", (_req, res) => {
          res.shouldKeepAlive = false;
        });
      },
      async stop() {
        await purposes?.stop();
        await runtime.close();
        await close(http);
        if (operator) await close(operator.server);
        await apollo.stop();
        await transport.close();
        await limiters?.close();
        await aggregates?.stop();
        metrics.stop();
        await accessLog?.close();
      },
    };
  } catch (error) {
    await purposes?.stop().catch(() => {});
    await limiters?.close().catch(() => {});
    await runtime.close().catch(() => {});
    await transport.close().catch(() => {});
    metrics.stop();
    await accessLog?.close().catch(() => {});
    throw error;
  }
}
