import { createLogger } from "@mash/kit";
import { PolicyError } from "./authz/policy/types.ts";
import { CompositionError } from "./compose/compose.ts";
import { loadGatewayConfig } from "./config.ts";
import { startGateway } from "./server/start-gateway.ts";

const logger = createLogger("gateway");
try {
  const running = await startGateway(loadGatewayConfig(), { logger });
  process.send?.({ type: "ready", name: "gateway", url: running.url });
  if (!process.send) process.stdout.write(`MASH gateway: ${running.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // stop() lets in-flight requests finish (10 s at most) before the process goes.
    logger.info("stopping");
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
  // Composition and policy errors are lists naming where each problem is; print them whole.
  if (error instanceof CompositionError || error instanceof PolicyError)
    process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}
