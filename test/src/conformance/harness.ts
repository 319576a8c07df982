import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeServices } from "@apollo/composition";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import {
  loadDevSigningKey,
  loadIdentityConfig,
  type RunningGateway,
  signDevToken,
  startGateway,
} from "@mash/gateway";
import type { Logger } from "@mash/kit";
import { type DocumentNode, parse } from "graphql";
import { testGatewayConfig } from "../system.ts";
import { expectedOwners } from "./ownership-oracle.ts";
import { AUDITOR, grantAllPolicies, readAgencies } from "./policies.ts";

/** One subgraph of a feature case: served in-process by @apollo/subgraph, from memory. */
export interface SubgraphDef {
  /** Lower-case: policies:init keeps it as the agency's name and its policy file's name. */
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
}

export interface Operation {
  /** The test's title. */
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /**
   * The operation makes bare @apollo/gateway answer with errors (a resolver throws, say); ours
   * must then answer with the same errors, each naming the subgraph that raised it. Otherwise bare
   * must answer cleanly, or the case is wrong.
   */
  expectErrors?: boolean;
  /** Touches no interface or union: a control that isolates the abstract-type paths. */
  concrete?: boolean;
}

/** A federation feature: a small supergraph of its own and operations that exercise it. */
export interface FeatureCase {
  name: string;
  /** policies:init infers which one's agency is the hub, governing the fields several resolve. */
  subgraphs: SubgraphDef[];
  operations: Operation[];
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

const silent = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export interface Conformance {
  supergraphSdl: string;
  /** The policy files our gateway enforces, by file name: init's, less any replaced. */
  policies: Record<string, string>;
  /** The hub agency, as roles.yaml names it: the tokens' agency. */
  hub: string;
  /** "Type.field" to its owning agency, by the harness's own reading of the subgraphs. */
  owners: Map<string, string>;
  /** The same, as our gateway's loaded policy has it. */
  oursOwners(): ReadonlyMap<string, string>;
  bare(op: Pick<Operation, "query" | "variables">): Promise<GraphQLResponse>;
  /** As the auditor, or as a development identity with these roles (agency: the hub). */
  ours(op: Pick<Operation, "query" | "variables">, roles?: string[]): Promise<GraphQLResponse>;
  /**
   * What our gateway logged at warn and error since the last call: a subgraph's own message, or
   * the detail behind a masked "Internal error", for a failing test's message.
   */
  takeLog(): string;
  stop(): Promise<void>;
}

export interface ConformanceOptions {
  /** Policy files (by name) replacing init's: hand-written restrictive rules. */
  policies?: Record<string, string>;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponse;
  } catch {
    throw new Error(`${url} answered ${response.status} with no JSON: ${text.slice(0, 300)}`);
  }
}

/**
 * Starts a case: each subgraph on a free port, the composed supergraph, a bare ApolloGateway over
 * it, and our gateway over the same supergraph file with init's (or given) policies, its own
 * data directory (development identity, access log, policy store) in a temp dir.
 */
export async function startConformance(
  feature: FeatureCase,
  options: ConformanceOptions = {},
): Promise<Conformance> {
  const stops: (() => Promise<unknown>)[] = [];
  const temp = mkdtempSync(join(tmpdir(), "mash-conformance-"));
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(temp, { recursive: true, force: true });
  };
  try {
    // Subgraphs know nothing of MASH: they ignore the X-MASH-Context our gateway signs.
    const served: { name: string; url: string; typeDefs: DocumentNode }[] = [];
    for (const def of feature.subgraphs) {
      const typeDefs = parse(def.typeDefs);
      let schema: ReturnType<typeof buildSubgraphSchema>;
      try {
        schema = buildSubgraphSchema({ typeDefs, resolvers: def.resolvers });
      } catch (error) {
        throw new Error(`${feature.name}: subgraph ${def.name}: ${(error as Error).message}`);
      }
      const server = new ApolloServer({
        schema,
        logger: silent,
        plugins: [ApolloServerPluginInlineTraceDisabled()],
      });
      const { url } = await startStandaloneServer(server, {
        listen: { port: 0, host: "127.0.0.1" },
      });
      stops.push(() => server.stop());
      served.push({ name: def.name, url, typeDefs });
    }

    const composed = composeServices(served);
    if (composed.errors) {
      throw new Error(
        `${feature.name}: the subgraphs do not compose:\n${composed.errors.map((e) => `  - ${e.message}`).join("\n")}`,
      );
    }
    const supergraphSdl = composed.supergraphSdl;
    const supergraphFile = join(temp, "supergraph.graphql");
    writeFileSync(supergraphFile, supergraphSdl);

    const policies = { ...grantAllPolicies(supergraphSdl).files, ...options.policies };
    // The roles.yaml the gateway loads (init's, unless a test replaced it) says who the hub is.
    const agencies = readAgencies(policies["roles.yaml"] ?? "");
    const policiesDir = join(temp, "policies");
    mkdirSync(policiesDir);
    for (const [name, text] of Object.entries(policies))
      writeFileSync(join(policiesDir, name), text);

    process.env.APOLLO_TELEMETRY_DISABLED = "true";
    const bareServer = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl, logger: silent }),
      logger: silent,
    });
    const bare = await startStandaloneServer(bareServer, {
      listen: { port: 0, host: "127.0.0.1" },
    });
    stops.push(() => bareServer.stop());

    const logged: string[] = [];
    const keep = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
      logged.push(`${level}: ${msg}${fields ? ` ${JSON.stringify(fields)}` : ""}`);
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: keep("warn"),
      error: keep("error"),
    };

    // Our gateway may refuse to start on a graph (a policy it cannot load, say): the bare one
    // still answers, so each test shows the case is sound before it shows why ours failed.
    let ours:
      | {
          url: string;
          token: (roles: string[]) => Promise<string>;
          owners: () => ReadonlyMap<string, string>;
        }
      | undefined;
    let oursRefused: unknown;
    try {
      ours = await startOurs(served, supergraphFile, policiesDir, join(temp, "data"), {
        logger,
        hub: agencies.hub,
        stops,
      });
    } catch (error) {
      oursRefused = error;
    }
    // The start-up warnings (development sign-in) are not about any operation.
    logged.length = 0;

    return {
      supergraphSdl,
      policies,
      hub: agencies.hub,
      owners: expectedOwners(supergraphSdl, feature.subgraphs, agencies),
      bare: (op) => post(bare.url, { query: op.query, variables: op.variables }),
      ours: async (op, roles = [AUDITOR]) => {
        if (!ours) throw oursRefused;
        return post(
          ours.url,
          { query: op.query, variables: op.variables },
          { authorization: `Bearer ${await ours.token(roles)}` },
        );
      },
      oursOwners: () => {
        if (!ours) throw oursRefused;
        return ours.owners();
      },
      takeLog: () => logged.splice(0).join("\n"),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Our gateway over the supergraph file, in development sign-in, with a token per role list. */
async function startOurs(
  subgraphs: { name: string; url: string }[],
  supergraphFile: string,
  policiesDir: string,
  dataDir: string,
  options: { logger: Logger; hub: string; stops: (() => Promise<unknown>)[] },
) {
  const identity = loadIdentityConfig({ MASH_DATA_DIR: dataDir });
  const gateway: RunningGateway = await startGateway(
    testGatewayConfig(
      subgraphs.map((s) => ({ name: s.name, url: s.url })),
      { supergraphFile, policiesDir },
    ),
    { logger: options.logger, identity, watchPolicies: false },
  );
  options.stops.push(() => gateway.stop());
  // The key the gateway made for development sign-in: any identity it signs is trusted.
  const key = await loadDevSigningKey(dataDir);
  const tokens = new Map<string, string>();
  return {
    url: gateway.url,
    owners: () => gateway.policies.authority().policy.owners,
    async token(roles: string[]) {
      const id = roles.join(",");
      let token = tokens.get(id);
      if (!token) {
        token = await signDevToken(key, {
          username: `conformance-${roles.join("-")}`,
          name: "Conformance suite",
          agency: options.hub,
          roles,
        });
        tokens.set(id, token);
      }
      return token;
    },
  };
}
