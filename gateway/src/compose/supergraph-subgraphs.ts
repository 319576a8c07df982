import { ConfigError } from "@mash/kit";
import {
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  Kind,
  parse,
} from "graphql";
import type { SubgraphEndpoint } from "../config.ts";

/** A subgraph as a supergraph names it: `@join__graph(name:, url:)` on its join__Graph value. */
export interface SupergraphGraph {
  name: string;
  /** The routing URL composition recorded; empty or absent when the supergraph has none. */
  url: string | undefined;
}

const stringArg = (d: ConstDirectiveNode, name: string): string | undefined => {
  const v: ConstValueNode | undefined = d.arguments?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.STRING ? v.value : undefined;
};

/**
 * The prefix the join spec's names carry: "join" unless the supergraph imported the spec under
 * another name (`@link(url: "https://specs.apollo.dev/join/v0.3", as: "j")`).
 */
function joinPrefix(doc: DocumentNode): string {
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== "link" && d.name.value !== "core") continue;
      const url = stringArg(d, "url") ?? stringArg(d, "feature");
      if (url?.startsWith("https://specs.apollo.dev/join/")) return stringArg(d, "as") ?? "join";
    }
  }
  return "join";
}

/** Every subgraph a supergraph routes to, in the order it lists them. */
export function graphsOfSupergraph(sdl: string | DocumentNode): SupergraphGraph[] {
  const doc = typeof sdl === "string" ? parse(sdl) : sdl;
  const prefix = joinPrefix(doc);
  const graphs: SupergraphGraph[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== `${prefix}__Graph`) continue;
    for (const value of def.values ?? []) {
      const d = value.directives?.find((x) => x.name.value === `${prefix}__graph`);
      if (!d) continue;
      const url = stringArg(d, "url");
      graphs.push({ name: stringArg(d, "name") ?? value.name.value, url: url || undefined });
    }
  }
  return graphs;
}

export const isHttpUrl = (url: string) => {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
};

/**
 * Where each subgraph of a supergraph file is reached: the URL `MASH_SUBGRAPH_URLS` gives for it,
 * else the one the supergraph recorded at composition. Every subgraph must end up with one, and
 * `MASH_SUBGRAPH_URLS` may name only subgraphs the supergraph has: a misspelt name would
 * otherwise be ignored while the gateway quietly routed to the recorded URL.
 */
export function resolveSubgraphUrls(
  graphs: readonly SupergraphGraph[],
  configured: readonly SubgraphEndpoint[],
  file: string,
): SubgraphEndpoint[] {
  if (graphs.length === 0)
    throw new ConfigError(
      "MASH_SUPERGRAPH_FILE",
      `${file} is not a federation supergraph: it has no join__Graph enum naming its subgraphs`,
    );
  const names = new Set(graphs.map((g) => g.name));
  const strays = configured.filter((s) => !names.has(s.name)).map((s) => `"${s.name}"`);
  if (strays.length)
    throw new ConfigError(
      "MASH_SUBGRAPH_URLS",
      `names ${strays.join(", ")}, which ${file} does not have; its subgraphs are ${graphs.map((g) => `"${g.name}"`).join(", ")} (names as in @join__graph(name:), case included)`,
    );
  const given = new Map(configured.map((s) => [s.name, s.url]));
  const missing: string[] = [];
  const resolved: SubgraphEndpoint[] = [];
  for (const g of graphs) {
    const url = given.get(g.name) ?? (g.url && isHttpUrl(g.url) ? g.url : undefined);
    if (url) resolved.push({ name: g.name, url });
    else missing.push(g.url ? `"${g.name}" (recorded as "${g.url}", not http(s))` : `"${g.name}"`);
  }
  if (missing.length)
    throw new ConfigError(
      "MASH_SUBGRAPH_URLS",
      `has no URL for subgraph ${missing.join(", ")}, and ${file} records no usable one in @join__graph(url:); add name=url for each`,
    );
  return resolved;
}
