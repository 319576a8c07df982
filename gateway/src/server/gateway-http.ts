import { createServer, type Server, type ServerResponse } from "node:http";
import { sendJson } from "@mash/kit/http";
import type { GatewayConfig } from "../config.ts";
import type { PolicyHolder } from "../governance/policy-holder.ts";
import type { IdentityConfig } from "../identity/config.ts";
import { loadDevSigningKey } from "../identity/dev-keys.ts";
import { createConsoleHandler } from "../static-apps/serve.ts";
import { createWorkspaceHandler } from "../static-apps/workspace-serve.ts";
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";
import { authConfigRoute, identityProviderOrigin } from "./auth-config-route.ts";
import { devRoutes } from "./dev-routes.ts";
import { healthHandler } from "./health.ts";
import type { GatewayMetrics } from "./metrics.ts";
import { carriesOperatorToken, refuseMetrics } from "./metrics-access.ts";
import { type Api, createRouter } from "./routes.ts";

export interface GatewayHttpDeps {
  config: GatewayConfig;
  identity: IdentityConfig;
  subgraphs: readonly { name: string; url: string }[];
  transport: SubgraphTransport;
  policies: PolicyHolder;
  metrics: GatewayMetrics;
  logger: Parameters<typeof createRouter>[0]["logger"];
  /** The two APIs, each a pipeline that judges and records every request. */
  graph: Api;
  governance: Api;
}

export interface GatewayHttp {
  server: Server;
  /** From now on /health and /health/ready answer 503 `draining` and no connection is kept. */
  drain(): void;
}

/**
 * The gateway's one listener: the two APIs, health for operators and load balancers, metrics for
 * the operator, and the browser apps' built files (nothing else is served).
 */
export async function createGatewayHttp(deps: GatewayHttpDeps): Promise<GatewayHttp> {
  const { config, identity, policies, metrics } = deps;
  let draining = false;
  const unlessDraining =
    (health: (res: ServerResponse) => Promise<void>) => async (res: ServerResponse) =>
      draining ? sendJson(res, 503, { status: "draining" }) : health(res);
  const provider = identityProviderOrigin(identity);
  const handleConsole = createConsoleHandler({ identityProviderOrigin: provider });
  const handleWorkspace = createWorkspaceHandler({ identityProviderOrigin: provider });
  const handleDev =
    identity.mode === "development"
      ? devRoutes(await loadDevSigningKey(identity.dataDir), identity.audience)
      : () => false;

  const server = createServer(
    createRouter({
      logger: deps.logger,
      corsOrigins: config.corsOrigins,
      compression: config.compression,
      health: unlessDraining(
        healthHandler({
          subgraphs: [...deps.subgraphs],
          timeoutMs: config.subgraphTimeoutMs,
          transport: deps.transport,
          policyVersion: () => policies.authority().policy.version,
        }),
      ),
      // Listening means the supergraph and the policies are loaded: ready, unless stopping.
      ready: (res) =>
        draining
          ? sendJson(res, 503, { status: "draining" })
          : sendJson(res, 200, { status: "ready", policies: policies.authority().policy.version }),
      // For the operator only (metrics-access.ts): here with their credential, or not at all.
      metrics: (req, res) => {
        const { token } = config.metrics;
        if (token !== undefined && carriesOperatorToken(req, token)) return metrics.serve(req, res);
        refuseMetrics(res, config.metrics);
      },
      assets: [
        (req, res) => handleConsole(req, res),
        (req, res) => handleWorkspace(req, res),
        handleDev,
        authConfigRoute(identity),
      ],
      apis: { "/graphql": deps.graph, "/governance/graphql": deps.governance },
    }),
  );
  return {
    server,
    drain() {
      if (draining) return;
      draining = true;
      // Before the router: an answer written at once (the 503 above, a 404, a preflight) must
      // close its connection too.
      server.prependListener("request", (_req, res) => {
        res.shouldKeepAlive = false;
      });
    },
  };
}
