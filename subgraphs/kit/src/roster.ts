import { fileURLToPath } from "node:url";

/** One agency of the hub as the whole system knows it. */
export interface RosterEntry {
  /** Its subgraph's name: the folder under subgraphs/, the supergraph's name, the policies'. */
  readonly name: string;
  readonly title: string;
  /** Where `npm start` runs it (MASH_SUBGRAPH_BASE_PORT moves them all, in this order). */
  readonly port: number;
  /** Its schema file, from which the supergraph kept for frontends is composed. */
  readonly schema: string;
}

const schemaOf = (name: string) =>
  fileURLToPath(new URL(`../../${name}/src/schema.graphql`, import.meta.url));

const entries = [
  ["mash", "MASH hub", 4001],
  ["police", "Police", 4002],
  ["childrens-services", "Children's social care", 4003],
  ["health", "Health (NHS)", 4004],
  ["education", "Education", 4005],
  ["probation", "Probation", 4006],
  ["adult-social-care", "Adult social care", 4007],
] as const;

/**
 * The agencies of the default hub, the hub first: the one list the agencies' definitions, the
 * gateway's default subgraphs, the launcher and the composition read. Imports nothing of the
 * kit, so the launcher reads it without loading a server.
 */
export const ROSTER: readonly RosterEntry[] = entries.map(([name, title, port]) => ({
  name,
  title,
  port,
  schema: schemaOf(name),
}));

export type AgencyName = (typeof entries)[number][0];

/** An agency's name, title and default port, for its definition (`defineAgency`). */
export function rostered(name: AgencyName): { name: string; title: string; defaultPort: number } {
  const entry = ROSTER.find((e) => e.name === name);
  if (!entry) throw new Error(`${name} is not on the roster (subgraphs/kit/src/roster.ts)`);
  return { name: entry.name, title: entry.title, defaultPort: entry.port };
}
