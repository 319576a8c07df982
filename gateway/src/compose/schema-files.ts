import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ROSTER, type RosterEntry } from "@mash/kit/roster";
import type { SubgraphSdl } from "./compose.ts";

export const supergraphFile = fileURLToPath(new URL("../../supergraph.graphql", import.meta.url));
/** The client-facing schema, written beside the supergraph: what frontends generate types from. */
export const apiSchemaFile = fileURLToPath(new URL("../../api-schema.graphql", import.meta.url));

/**
 * The subgraph schemas as the repository holds them: each agency on the roster, its
 * `src/schema.graphql`. The supergraph kept for frontends is composed from these, so no service
 * has to run.
 */
export function readSchemaFiles(roster: readonly RosterEntry[] = ROSTER): SubgraphSdl[] {
  return [...roster]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((agency) => ({
      name: agency.name,
      url: `http://127.0.0.1:${agency.port}/graphql`,
      sdl: readFileSync(agency.schema, "utf8"),
    }));
}
