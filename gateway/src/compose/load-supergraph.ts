import { readFileSync } from "node:fs";
import { ConfigError } from "@mash/kit";
import { type DocumentNode, parse } from "graphql";
import type { GatewayConfig, SubgraphEndpoint } from "../config.ts";
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";
import { composeAtStart } from "./compose-cache.ts";
import { fetchSubgraphSdl, type GatewaySigner } from "./fetch-sdl.ts";
import { graphsOfSupergraph, resolveSubgraphUrls } from "./supergraph-subgraphs.ts";

export interface LoadedSupergraph {
  sdl: string;
  source: string;
  /**
   * Every subgraph the supergraph routes to, with the URL the gateway uses for it: what fetches,
   * health checks and subject counts go to.
   */
  subgraphs: SubgraphEndpoint[];
}

/**
 * The supergraph the gateway serves: the configured file (any federation 2 supergraph, ours or
 * not), or a composition of what the running subgraphs say their schemas are (so a subgraph
 * deployed ahead of the repo is still composed, and a broken one stops the gateway instead of
 * serving half a graph).
 */
export async function loadSupergraph(
  config: GatewayConfig,
  signContext: GatewaySigner,
  transport: SubgraphTransport,
): Promise<LoadedSupergraph> {
  if (config.supergraphFile) {
    const file = config.supergraphFile;
    let sdl: string;
    try {
      sdl = readFileSync(file, "utf8");
    } catch (error) {
      throw new ConfigError(
        "MASH_SUPERGRAPH_FILE",
        `cannot read ${file}: ${(error as Error).message}`,
      );
    }
    let doc: DocumentNode;
    try {
      doc = parse(sdl);
    } catch (error) {
      throw new ConfigError(
        "MASH_SUPERGRAPH_FILE",
        `${file} is not GraphQL: ${(error as Error).message}`,
      );
    }
    return {
      sdl,
      source: file,
      subgraphs: resolveSubgraphUrls(graphsOfSupergraph(doc), config.subgraphs, file),
    };
  }
  const sdls = await Promise.all(
    config.subgraphs.map((s) =>
      fetchSubgraphSdl(s, config.subgraphTimeoutMs, signContext, transport),
    ),
  );
  return {
    sdl: composeAtStart(sdls),
    source: `composed from ${sdls.length} running subgraphs`,
    subgraphs: config.subgraphs,
  };
}
