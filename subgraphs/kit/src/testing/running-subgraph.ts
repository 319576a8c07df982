import { afterAll, beforeAll } from "vitest";
import { createLogger } from "../logger.ts";
import type { AnyAgency } from "../server/agency.ts";
import { type RunningSubgraph, startSubgraph } from "../server/start-subgraph.ts";
import { type Backend, tempStores } from "./backends.ts";
import { testContextKeys, testSubgraphHeaders } from "./context.ts";

/**
 * One agency's subgraph on a free port and a private store, trusting the test context keys:
 * started before the suite's tests, stopped after. Call inside a `describe`.
 */
export function useRunningSubgraph(agency: AnyAgency, backend: Backend, seedSubjects = 200) {
  const temp = tempStores(backend);
  let running: RunningSubgraph | undefined;
  beforeAll(async () => {
    running = await startSubgraph(agency, {
      env: process.env,
      port: 0,
      store: temp.configFor(agency.name),
      seedSubjects,
      contextVerifyKeys: (await testContextKeys()).verifyKeys,
      logger: createLogger(agency.name, "silent"),
    });
  });
  afterAll(async () => {
    await running?.stop();
    await temp.cleanup();
  });
  const subgraph = () => {
    if (!running) throw new Error("the subgraph starts in beforeAll");
    return running;
  };
  return {
    subgraph,
    /** POSTs `_entities` for these subject ids, signed as the gateway would, and parses the body. */
    async entities(query: string, ids: string[]) {
      const body = JSON.stringify({
        query,
        variables: { representations: ids.map((id) => ({ __typename: "Subject", id })) },
      });
      const response = await fetch(subgraph().url, {
        method: "POST",
        headers: await testSubgraphHeaders(agency.name, body),
        body,
      });
      return {
        status: response.status,
        body: (await response.json()) as { data?: unknown; errors?: unknown },
      };
    },
  };
}
