import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases } from "./cases.ts";
import { type Conformance, type GraphQLResponse, startConformance } from "./harness.ts";

// With a policy that grants the caller every field, our gateway must be indistinguishable from
// bare @apollo/gateway over the same supergraph: the same data, in the same key order, and errors
// exactly when bare has errors. Those errors are a subgraph's, so ours names that subgraph at each
// error's path instead of masking it as the gateway's own "Internal error".

const pathKey = (e: { path?: (string | number)[] }) => JSON.stringify(e.path ?? null);

/**
 * Ours answers an operation a subgraph fails with bare's errors one for one, at the same paths,
 * each naming the subgraph bare says raised it; the subgraph's own message (which may hold SQL or
 * record values) stays in our log.
 */
function expectDownstream(ours: GraphQLResponse, bare: GraphQLResponse, subgraphs: string[]) {
  const expected = (bare.errors ?? []).map((e) => {
    const subgraph = e.extensions?.serviceName;
    expect(subgraphs, `bare names no subgraph of the case: ${JSON.stringify(e)}`).toContain(
      subgraph,
    );
    return {
      path: e.path,
      message: expect.stringMatching(
        new RegExp(`^The ${subgraph} service reported an error here; `),
      ),
      extensions: { code: "DOWNSTREAM_SERVICE_ERROR", subgraph },
    };
  });
  const sorted = <T extends { path?: (string | number)[] }>(errors: T[]) =>
    [...errors].sort((a, b) => (pathKey(a) < pathKey(b) ? -1 : pathKey(a) > pathKey(b) ? 1 : 0));
  expect(sorted(ours.errors ?? [])).toEqual(sorted(expected));
  for (const e of bare.errors ?? []) expect(JSON.stringify(ours.errors)).not.toContain(e.message);
}

for (const feature of cases) {
  describe(feature.name, () => {
    let run: Conformance;
    beforeAll(async () => {
      run = await startConformance(feature);
    });
    afterAll(() => run?.stop());

    it("credits every field to the agency whose subgraph resolves it", () => {
      // Only the fields the harness reads (object types a client can see); ours may hold more.
      const ours = run.oursOwners();
      const credited = new Map([...run.owners.keys()].map((c) => [c, ours.get(c)]));
      expect(credited).toEqual(run.owners);
    });

    for (const op of feature.operations) {
      it(op.name, async () => {
        const bare = await run.bare(op);
        // The case itself is checked first: a failure here is the case's, not our gateway's.
        if (op.expectErrors) expect(bare.errors, "bare gateway: expected errors").toBeDefined();
        else expect(bare.errors, "bare gateway answered with errors").toBeUndefined();
        expect(bare.data, "bare gateway returned no data").toBeTruthy();

        const ours = await run.ours(op);
        const log = run.takeLog();
        const detail = log ? `our gateway logged:\n${log}` : "";
        if (op.expectErrors)
          expect(ours.errors, `bare has errors, ours none. ${detail}`).toBeDefined();
        else expect(ours.errors, `ours answered with errors. ${detail}`).toBeUndefined();
        // A valid operation never meets a fault of the gateway's own.
        const internal = (ours.errors ?? []).filter(
          (e) => (e.extensions?.code ?? "INTERNAL_SERVER_ERROR") === "INTERNAL_SERVER_ERROR",
        );
        expect(internal, `ours answered "Internal error". ${detail}`).toEqual([]);
        if (op.expectErrors)
          expectDownstream(
            ours,
            bare,
            feature.subgraphs.map((s) => s.name),
          );
        expect(ours.data).toEqual(bare.data);
        // The same keys in the same order: GraphQL responses are ordered maps.
        expect(JSON.stringify(ours.data)).toBe(JSON.stringify(bare.data));
      });
    }
  });
}
