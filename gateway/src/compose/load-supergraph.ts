import { readFileSync } from "node:fs";
import type { GatewayConfig } from "../config.ts";
import { composeSupergraph } from "./compose.ts";
import { fetchSubgraphSdl } from "./fetch-sdl.ts";

/**
 * The supergraph the gateway serves: the configured file, or a composition of what the running
 * subgraphs say their schemas are (so a subgraph deployed ahead of the repo is still composed,
 * and a broken one stops the gateway instead of serving half a graph).
 */
export async function loadSupergraph(
  config: GatewayConfig,
  signContext: (subgraph: string) => Promise<string>,
): Promise<{ sdl: string; source: string }> {
  if (config.supergraphFile) {
    try {
      return { sdl: readFileSync(config.supergraphFile, "utf8"), source: config.supergraphFile };
    } catch (error) {
      throw new Error(
        `MASH_SUPERGRAPH_FILE: cannot read ${config.supergraphFile}: ${(error as Error).message}`,
      );
    }
  }
  const sdls = await Promise.all(
    config.subgraphs.map((s) => fetchSubgraphSdl(s, config.subgraphTimeoutMs, signContext)),
  );
  return { sdl: composeSupergraph(sdls), source: `composed from ${sdls.length} running subgraphs` };
}
