import { ConfigError, createLogger, logLevelFrom } from "@mash/kit";
import { PolicyError } from "./authz/policy/types.ts";
import { CompositionError } from "./compose/compose.ts";
import { cacheCompositionsIn } from "./compose/compose-cache.ts";
import { type GatewayConfig, loadGatewayConfig } from "./config.ts";
import { loadIdentityConfig } from "./identity/config.ts";
import { startGateway } from "./server/start-gateway.ts";

/** What `npm start`'s launcher sends once every subgraph listens. */
interface SubgraphsMessage {
  type: "subgraphs";
  urls: string;
}

/**
 * `npm start` starts the gateway beside the subgraphs rather than after them, so that loading
 * this code overlaps their start; the subgraph URLs come when they all listen, and only then does
 * the gateway read its configuration, exactly as if they had been in MASH_SUBGRAPH_URLS.
 */
function subgraphUrlsFromLauncher(): Promise<string> {
  if (!process.send) {
    return Promise.reject(
      new ConfigError(
        "MASH_SUBGRAPH_URLS_FROM",
        'is "launcher", which only `npm start` sets; give MASH_SUBGRAPH_URLS instead',
      ),
    );
  }
  return new Promise((resolve) => {
    // The launcher went before the subgraphs were ready: nothing to serve.
    const gone = () => process.exit(1);
    const onMessage = (message: SubgraphsMessage) => {
      if (message?.type !== "subgraphs") return;
      process.off("message", onMessage);
      process.off("disconnect", gone);
      resolve(message.urls);
    };
    process.on("message", onMessage);
    process.once("disconnect", gone);
  });
}

/**
 * `MASH_SHUTDOWN_DELAY_MS` (default 0): after SIGTERM, how long the gateway goes on serving while
 * /health answers 503, before it stops accepting connections. Behind a load balancer, set it
 * longer than the balancer takes to see a failing check (HAProxy: `inter` x `fall`), so that
 * nothing is sent to a gateway once it has closed.
 */
function shutdownDelayMs(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 0;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
    throw new ConfigError(
      "MASH_SHUTDOWN_DELAY_MS",
      `"${raw}" is not a whole number from 0 to 60000`,
    );
  return ms;
}

const logger = createLogger("gateway", logLevelFrom(process.env));
let config: GatewayConfig | undefined;
try {
  cacheCompositionsIn(process.env.MASH_COMPOSE_CACHE_DIR);
  // Under npm start the launcher hands over the agencies' URLs once they listen: laid over the
  // environment given to the parser, never written into it.
  let env: Record<string, string | undefined> = process.env;
  if (process.env.MASH_SUBGRAPH_URLS_FROM === "launcher") {
    env = { ...process.env, MASH_SUBGRAPH_URLS: await subgraphUrlsFromLauncher() };
  } else if (process.env.MASH_SUBGRAPH_URLS_FROM) {
    throw new ConfigError("MASH_SUBGRAPH_URLS_FROM", 'may only be "launcher" (npm start)');
  }
  config = loadGatewayConfig(env);
  const delayMs = shutdownDelayMs(process.env.MASH_SHUTDOWN_DELAY_MS);
  const running = await startGateway(config, { logger, identity: loadIdentityConfig(env) });
  process.send?.({ type: "ready", name: "gateway", url: running.url });
  if (!process.send) process.stdout.write(`MASH gateway: ${running.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Seen failing by the load balancer first, still serving; then stop() lets in-flight
    // requests finish (10 s at most) before the process goes.
    logger.info("stopping", { delayMs });
    running.drain();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      logger.error("could not stop cleanly", { error: (error as Error).message });
      process.exit(1);
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
} catch (error) {
  // A composition error is already a list naming subgraph, type and field; print it whole.
  const message = (error as Error).message;
  logger.error("gateway did not start", { error: message });
  // Composition and policy errors are lists naming where each problem is, and a configuration
  // error names its setting; print them whole, not only inside a JSON log line.
  if (error instanceof PolicyError && config) {
    // Rules that do not fit the graph are most often the wrong folder: say which one was read.
    // Said before the list, which for the wrong folder runs to a screenful.
    const hint =
      config.supergraphFile && !process.env.MASH_POLICIES_DIR
        ? "MASH_POLICIES_DIR is not set, so the hub's own rules were read; point it at rules written for this supergraph (npm run policies:init -- --supergraph <file> writes a first set).\n"
        : "";
    process.stderr.write(
      `MASH_POLICIES_DIR: the sharing rules in ${config.policiesDir} do not load against the supergraph.\n${hint}${message}\n`,
    );
  } else if (
    error instanceof CompositionError ||
    error instanceof PolicyError ||
    error instanceof ConfigError
  )
    process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}
