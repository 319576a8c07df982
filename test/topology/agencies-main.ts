import { createLogger, logLevelFrom, type RunningSubgraph, startSubgraph } from "@mash/kit";
import { agencies } from "../../scripts/agencies.ts";

/**
 * The seven agencies in one process, for the topology test: they are not what it kills, and one
 * process starts them in one tsx start-up instead of seven on a two-core machine. Each is the
 * same startSubgraph an agency's own entry runs, with its store, keys and seed from the
 * environment (MASH_DATABASE_URL, MASH_DATA_DIR, MASH_SEED_SUBJECTS). Tells the parent
 * `name=url,...` when all listen, as MASH_SUBGRAPH_URLS spells it; stops on SIGTERM.
 */
const logger = createLogger("agencies", logLevelFrom(process.env));
const running: RunningSubgraph[] = [];
try {
  for (const agency of agencies)
    running.push(await startSubgraph(agency, { env: process.env, port: 0, logger }));
  const urls = running.map((s) => `${s.name}=${s.url}`).join(",");
  process.send?.({ type: "ready", name: "agencies", url: urls });
} catch (error) {
  logger.error("could not start", { error: (error as Error).message });
  await Promise.all(running.map((s) => s.stop()));
  process.exit(1);
}
const stop = async () => {
  await Promise.all(running.map((s) => s.stop()));
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("disconnect", stop);
