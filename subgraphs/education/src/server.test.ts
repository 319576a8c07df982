import { createLogger, type RunningSubgraph, startSubgraph } from "@mash/kit";
import { storeBackends, tempStores, testContextKeys, testSubgraphHeaders } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { education } from "./index.ts";

const query = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Subject {
      id
      education {
        known
        school { name urn }
        attendancePercent
        exclusions { id date kind reason }
        send { status }
        missingEducation
      }
    }
  }
}`;

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`education subgraph on ${backend}`, () => {
    const temp = tempStores(backend);
    let running: RunningSubgraph;

    beforeAll(async () => {
      running = await startSubgraph(education, {
        port: 0,
        store: temp.configFor("education"),
        seedSubjects: 200,
        contextVerifyKeys: (await testContextKeys()).verifyKeys,
        logger: createLogger("education", "warn"),
      });
    });
    afterAll(async () => {
      await running?.stop();
      await temp.cleanup();
    });

    it("resolves a golden subject and an unknown one through _entities", async () => {
      const response = await fetch(running.url, {
        method: "POST",
        headers: await testSubgraphHeaders("education"),
        body: JSON.stringify({
          query,
          variables: {
            representations: [
              { __typename: "Subject", id: "S-1007" },
              { __typename: "Subject", id: "S-NOBODY" },
            ],
          },
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: { _entities: unknown[] }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data?._entities).toEqual([
        {
          id: "S-1007",
          education: {
            known: true,
            school: { name: "Brook Academy", urn: "140123" },
            attendancePercent: 71,
            exclusions: [
              {
                id: "EX-3",
                date: "2025-03-10",
                kind: "SUSPENSION",
                reason: "Persistent disruptive behaviour",
              },
            ],
            send: { status: "NONE" },
            missingEducation: null,
          },
        },
        {
          id: "S-NOBODY",
          education: {
            known: false,
            school: null,
            attendancePercent: null,
            exclusions: [],
            send: null,
            missingEducation: null,
          },
        },
      ]);
    });
  });
}
