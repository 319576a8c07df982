import { loadFixtures } from "@mash/kit";
import { storeBackends, useRunningSubgraph } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
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
    const { subgraph, entities: postEntities } = useRunningSubgraph(childrensServices, backend);

    it("resolves a golden subject and an unknown one in one statement", async () => {
      const before = subgraph().store.stats.statements;
      const { status, body: raw } = await postEntities(entities, ["S-1005", "S-NOBODY"]);
      expect(status).toBe(200);
      const body = raw as { data?: unknown; errors?: unknown };
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
      expect(subgraph().store.stats.statements - before).toBe(1);
    });
  });
}
