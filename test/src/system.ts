import { type RunningGateway, startGateway } from "@mash/gateway";
import { createLogger, type RunningSubgraph, startSubgraph } from "@mash/kit";
import { type Backend, tempStores } from "@mash/kit/testing";
import { agencies } from "../../scripts/agencies.ts";

export interface GraphQLBody<T> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestSystem {
  gatewayUrl: string;
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  /** POSTs an operation to the gateway and returns the parsed body. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{
    status: number;
    body: {
      data?: T;
      errors?: {
        message: string;
        path?: (string | number)[];
        extensions?: Record<string, unknown>;
      }[];
    };
  }>;
  stop(): Promise<void>;
}

/**
 * The whole graph in this process, on free ports and private stores: seven subgraphs seeded
 * with a small population, and the gateway composing them as `npm start` does.
 */
export async function startSystem(
  options: { subjects?: number; backend?: Backend } = {},
): Promise<TestSystem> {
  const temp = tempStores(options.backend ?? "sqlite");
  const quiet = createLogger("test", "error");
  const subgraphs: RunningSubgraph[] = [];
  try {
    for (const agency of agencies) {
      subgraphs.push(
        await startSubgraph(agency, {
          port: 0,
          store: temp.configFor(agency.name),
          seedSubjects: options.subjects ?? 200,
          logger: quiet,
        }),
      );
    }
    const gateway = await startGateway(
      {
        port: 0,
        host: "127.0.0.1",
        subgraphs: subgraphs.map((s) => ({ name: s.name, url: s.url })),
        supergraphFile: undefined,
        subgraphTimeoutMs: 2000,
      },
      quiet,
    );
    return {
      gatewayUrl: gateway.url,
      gateway,
      subgraphs,
      async query(query, variables, headers) {
        const response = await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return { status: response.status, body: (await response.json()) as GraphQLBody<never> };
      },
      async stop() {
        await gateway.stop();
        await Promise.all(subgraphs.map((s) => s.stop()));
        await temp.cleanup();
      },
    };
  } catch (error) {
    await Promise.all(subgraphs.map((s) => s.stop()));
    await temp.cleanup();
    throw error;
  }
}
