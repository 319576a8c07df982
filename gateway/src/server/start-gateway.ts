import type { Server } from "node:http";
import { type ContextSigningKey, createLogger, type Logger } from "@mash/kit";
import { close, listen } from "@mash/kit/http";
import { createRefusalAggregates, type RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { AuditLog } from "../audit/store.ts";
import { loadSupergraph } from "../compose/load-supergraph.ts";
import type { GatewayConfig } from "../config.ts";
import { ensureDataDir } from "../data-dir.ts";
import type { PolicyHolder } from "../governance/policy-holder.ts";
import { startPolicyRuntime } from "../governance/policy-runtime.ts";
import type { IdentityConfig } from "../identity/config.ts";
import { createVerifier } from "../identity/verify.ts";
import { createSubgraphTransport } from "../transport/subgraph-transport.ts";
import { type AccessLogStore, openAccessLog } from "./access-log-store.ts";
import { refuseApolloTelemetry } from "./apollo-telemetry.ts";
import { loadDevOrConfiguredKey } from "./context-key.ts";
import { createGatewayHttp } from "./gateway-http.ts";
import { createGovernanceEntry } from "./governance-entry.ts";
import { createGraphEntry, type GraphEntry } from "./graph-entry.ts";
import { createGatewayMetrics } from "./metrics.ts";
import { serveOperatorMetrics } from "./operator-metrics.ts";
import { createRateLimiters, type RateLimiters } from "./rate-limiters.ts";
import type { Api } from "./routes.ts";
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
  const { policies } = runtime;
  const metrics = createGatewayMetrics(logger);
  const enforce = options.authorization !== "off";
  let accessLog: AccessLogStore | undefined;
  let entry: GraphEntry | undefined;
  let aggregates: RefusalAggregates | undefined;
  let limiters: RateLimiters | undefined;
  let listening: Server | undefined;
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
    const verify = await createVerifier(identity);
    limiters = createRateLimiters(config, logger);
    if (audit) aggregates = createRefusalAggregates({ audit, logger });
    const access = audit && aggregates ? { audit, aggregates } : undefined;
    const shared = {
      config,
      supergraph,
      sign,
      transport,
      runtime,
      access,
      verify,
      limiters,
      logger,
    };
    entry = await createGraphEntry({ ...shared, enforce, metrics });
    const { apollo } = entry;
    const governance = createGovernanceEntry({ ...shared, auditStore });
    const http = await createGatewayHttp({
      config,
      identity,
      subgraphs: supergraph.subgraphs,
      transport,
      policies,
      metrics,
      logger,
      graph: entry.graph as Api,
      governance: governance as Api,
    });
    const port = await listen(http.server, config.port, config.host);
    listening = http.server;
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
      drain: http.drain,
      async stop() {
        await entry?.purposes.stop();
        await runtime.close();
        await close(http.server);
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
    // Nothing keeps listening for a gateway that did not start (an operator address in use).
    if (listening) await close(listening).catch(() => {});
    await aggregates?.stop().catch(() => {});
    await entry?.purposes.stop().catch(() => {});
    await entry?.apollo.stop().catch(() => {});
    await limiters?.close().catch(() => {});
    await runtime.close().catch(() => {});
    await transport.close().catch(() => {});
    metrics.stop();
    await accessLog?.close().catch(() => {});
    throw error;
  }
}
