import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultSubgraphs } from "../config.ts";
import type { SubgraphSdl } from "./compose.ts";

export const subgraphsDir = fileURLToPath(new URL("../../../subgraphs", import.meta.url));
export const supergraphFile = fileURLToPath(new URL("../../supergraph.graphql", import.meta.url));
/** The client-facing schema, written beside the supergraph: what frontends generate types from. */
export const apiSchemaFile = fileURLToPath(new URL("../../api-schema.graphql", import.meta.url));

/**
 * The subgraph schemas as the repository holds them: one `src/schema.graphql` per agency folder.
 * The supergraph kept for frontends is composed from these, so no service has to run.
 */
export function readSchemaFiles(dir = subgraphsDir): SubgraphSdl[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${dir}/${d.name}/src/schema.graphql`))
    .map((d) => d.name)
    .sort()
    .map((name) => ({
      name,
      url: defaultSubgraphs.find((s) => s.name === name)?.url ?? `http://127.0.0.1/${name}/graphql`,
      sdl: readFileSync(`${dir}/${name}/src/schema.graphql`, "utf8"),
    }));
}
