import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";

/** The resolver map an agency is built with, as @apollo/subgraph reads it. */
export type { GraphQLResolverMap };

import type { DocumentNode } from "graphql";
import type { Kysely, Migration } from "kysely";
import type { Population } from "../population/generate.ts";
import type { Progress } from "../seed/progress.ts";
import type { Dialect, Store } from "../store/open-store.ts";
import type { CallerContext } from "../trust/context.ts";

type Env = Record<string, string | undefined>;

/**
 * What resolvers get: this agency's store, this request's loaders, start-time settings, and who
 * the gateway says the request is for (verified before any resolver runs).
 */
export interface SubgraphContext<DB, Loaders, Settings = undefined> {
  store: Store<DB>;
  loaders: Loaders;
  settings: Settings;
  caller: CallerContext;
}

export interface SeedInput<DB, Settings = undefined> {
  db: Kysely<DB>;
  dialect: Dialect;
  population: Population;
  progress: Progress;
  /** The agency's settings as its entry point read them; undefined: its defaults. */
  settings?: Settings;
}

/**
 * Everything that makes one agency's subgraph. The kit does the rest (server, store, migrations,
 * health, seeding), so an agency is its schema, its tables, its loaders and its seed mapping.
 */
export interface AgencyDefinition<DB, Loaders, Settings = undefined> {
  /** The subgraph name in the supergraph, and the agency name in policies. */
  name: string;
  title: string;
  defaultPort: number;
  typeDefs: DocumentNode;
  migrations: Record<string, Migration>;
  /** Data tables, children before parents: a re-seed empties them in this order. */
  tables: readonly string[];
  settings?: (env: Env) => Settings;
  createLoaders(store: Store<DB>): Loaders;
  resolvers: GraphQLResolverMap<SubgraphContext<DB, Loaders, Settings>>;
  seed(input: SeedInput<DB, Settings>): Promise<void>;
  /**
   * For governance officers weighing a sharing-rule change: per GraphQL object type this agency
   * serves per-subject records of, how many distinct subjects have at least one such record now.
   * Counts only, never a record value; keys must be type names in `typeDefs`. Served to the
   * gateway alone at `GET /subject-counts`; an agency without it answers 404 there.
   */
  subjectCounts?(store: Store<DB>): Promise<SubjectCounts>;
}

/** Distinct subjects per GraphQL type name, such as `{ PoliceIncident: 212 }`. */
export type SubjectCounts = Record<string, number>;

/** Identity function that fixes the generic parameters, so agency files need no annotations. */
export function defineAgency<DB, Loaders, Settings = undefined>(
  definition: AgencyDefinition<DB, Loaders, Settings>,
): AgencyDefinition<DB, Loaders, Settings> {
  return definition;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of agencies mixes store and loader types; each one is checked where it is defined.
export type AnyAgency = AgencyDefinition<any, any, any>;
