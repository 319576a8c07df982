import { createLogger, type RunningSubgraph, startSubgraph } from "@mash/kit";
import { storeBackends, tempStores, testContextKeys, testSubgraphHeaders } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { health } from "./index.ts";

const entities = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Subject {
      id
      health {
        known
        gpPractice { name phone }
        unscheduledCare { id attendedAt setting reason }
        mentalHealth { openToServices service }
        healthVisitorContacts { id contactedAt summary }
        maternity { expectedDeliveryDate booked }
      }
    }
  }
}`;

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`health subgraph on ${backend}`, () => {
    const temp = tempStores(backend);
    let running: RunningSubgraph;

    beforeAll(async () => {
      running = await startSubgraph(health, {
        port: 0,
        store: temp.configFor("health"),
        seedSubjects: 200,
        contextVerifyKeys: (await testContextKeys()).verifyKeys,
        logger: createLogger("health", "silent"),
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
        headers: await testSubgraphHeaders("health"),
        body: JSON.stringify({
          query: entities,
          variables: {
            representations: [
              { __typename: "Subject", id: "S-1006" },
              { __typename: "Subject", id: "S-NOBODY" },
            ],
          },
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        _entities: [
          {
            id: "S-1006",
            health: {
              known: true,
              gpPractice: { name: "Station Road Surgery", phone: "01772 000333" },
              unscheduledCare: [
                {
                  id: "UC-40",
                  attendedAt: "2026-11-19T07:55:00Z",
                  setting: "EMERGENCY_DEPARTMENT",
                  reason: "Hypothermia",
                },
              ],
              mentalHealth: { openToServices: true, service: "Memory Assessment Service" },
              healthVisitorContacts: [],
              maternity: null,
            },
          },
          {
            id: "S-NOBODY",
            health: {
              known: false,
              gpPractice: null,
              unscheduledCare: [],
              mentalHealth: null,
              healthVisitorContacts: [],
              maternity: null,
            },
          },
        ],
      });
      expect(running.store.stats.statements - before).toBe(1);
    });
  });
}
