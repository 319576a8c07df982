import { portFrom } from "../config.ts";
import { createLogger, logLevelFrom } from "../logger.ts";
import { terminalProgress } from "../seed/progress.ts";
import type { AnyAgency } from "./agency.ts";
import { startSubgraph } from "./start-subgraph.ts";

type Env = Record<string, string | undefined>;

/**
 * The body of an agency's entry point (its main.ts hands it the environment) that hosts its own subgraph (`npm run start -w subgraphs/police`):
 * start, tell a parent launcher where it listens, and stop cleanly on a signal.
 */
export async function runAgency(agency: AnyAgency, env: Env): Promise<void> {
  const logger = createLogger(agency.name, logLevelFrom(env));
  try {
    const running = await startSubgraph(agency, {
      env,
      port: portFrom(env, "PORT", agency.defaultPort),
      progress: terminalProgress(agency.name),
      logger,
    });
    process.send?.({ type: "ready", name: agency.name, url: running.url });
    if (!process.send) process.stdout.write(`${agency.title} subgraph: ${running.url}\n`);
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
    logger.error("could not start", { error: (error as Error).message });
    process.exitCode = 1;
  }
}
