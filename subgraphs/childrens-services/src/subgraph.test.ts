import { createLogger, loadFixtures, type RunningSubgraph, startSubgraph } from "@mash/kit";
import { storeBackends, tempStores, testContextKeys, testSubgraphHeaders } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childrensServices } from "./index.ts";

const golden = loadFixtures().records["childrens-services"] ?? {};

const entities = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Subject {
      id
      socialCare {
        known openCase lookedAfter childInNeed previousReferrals
        allocatedWorker { name team phone }
        childProtectionPlan { category startDate }
        caseNotes { id recordedAt text }
      }
    }
  }
}`;

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`childrens-services subgraph on ${backend}`, () => {
    const temp = tempStores(backend);
    let running: RunningSubgraph;

    beforeAll(async () => {
      running = await startSubgraph(childrensServices, {
        port: 0,
        store: temp.configFor("childrens-services"),
        seedSubjects: 200,
        contextVerifyKeys: (await testContextKeys()).verifyKeys,
        logger: createLogger("childrens-services", "silent"),
      });
    });
    afterAll(async () => {
      await running?.stop();
      await temp.cleanup();
    });

    it("resolves a golden subject and an unknown one in one statement", async () => {
      const before = running.store.stats.statements;
      const response = await fetch(running.url, {
        method: "POST",
        headers: await testSubgraphHeaders("childrens-services"),
        body: JSON.stringify({
          query: entities,
          variables: {
            representations: [
              { __typename: "Subject", id: "S-1005" },
              { __typename: "Subject", id: "S-NOBODY" },
            ],
          },
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const record = golden["S-1005"] ?? {};
      expect(body.data).toEqual({
        _entities: [
          {
            id: "S-1005",
            socialCare: {
              known: true,
              openCase: true,
              lookedAfter: false,
              childInNeed: null,
              previousReferrals: null,
              allocatedWorker: record.allocatedWorker,
              childProtectionPlan: null,
              caseNotes: record.caseNotes,
            },
          },
          {
            id: "S-NOBODY",
            socialCare: {
              known: false,
              openCase: null,
              lookedAfter: null,
              childInNeed: null,
              previousReferrals: null,
              allocatedWorker: null,
              childProtectionPlan: null,
              caseNotes: [],
            },
          },
        ],
      });
      expect(running.store.stats.statements - before).toBe(1);
    });
  });
}
