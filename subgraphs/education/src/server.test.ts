import { storeBackends, useRunningSubgraph } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
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
    const { entities: postEntities } = useRunningSubgraph(education, backend);

    it("resolves a golden subject and an unknown one through _entities", async () => {
      const { status, body: raw } = await postEntities(query, ["S-1007", "S-NOBODY"]);
      expect(status).toBe(200);
      const body = raw as { data?: { _entities: unknown[] }; errors?: unknown };
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
