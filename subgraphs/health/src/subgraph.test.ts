import { storeBackends, useRunningSubgraph } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
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
    const { subgraph, entities: postEntities } = useRunningSubgraph(health, backend);

    it("resolves a golden subject and an unknown one in one statement", async () => {
      const before = subgraph().store.stats.statements;
      const { status, body: raw } = await postEntities(entities, ["S-1006", "S-NOBODY"]);
      expect(status).toBe(200);
      const body = raw as { data?: unknown; errors?: unknown };
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
      expect(subgraph().store.stats.statements - before).toBe(1);
    });
  });
}
