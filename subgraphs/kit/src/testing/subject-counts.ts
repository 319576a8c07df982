import { describe, expect, it } from "vitest";
import { generatePopulation } from "../population/generate.ts";
import type { AnyAgency } from "../server/agency.ts";
import type { Store } from "../store/open-store.ts";
import { GATEWAY_SUBJECT } from "../trust/context.ts";
import { storeBackends } from "./backends.ts";
import { signTestContext } from "./context.ts";
import { useRunningSubgraph } from "./running-subgraph.ts";

const SUBJECTS = 200;

/** GET /subject-counts on a running subgraph, with the gateway's own signed context or none. */
export async function fetchSubjectCounts(agency: string, url: string, signed: boolean) {
  const headers: Record<string, string> = signed
    ? { "x-mash-context": await signTestContext(agency, { sub: GATEWAY_SUBJECT }) }
    : {};
  const response = await fetch(new URL("/subject-counts", url), { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The suite every agency runs for its subject counts, on SQLite and PostgreSQL: the counts must
 * equal an oracle read through the agency's own section loader for every seeded subject (apart
 * from the counting SQL), come from one statement, and be refused without a signed context.
 */
export async function describeSubjectCounts<DB>(
  agency: AnyAgency,
  oracle: (store: Store<DB>, ids: string[]) => Promise<Record<string, number>>,
) {
  const ids = generatePopulation({ subjects: SUBJECTS }).persons.map((p) => p.id);
  for (const { backend, unavailable } of await storeBackends()) {
    describe.skipIf(unavailable)(`${agency.name} subject counts on ${backend}`, () => {
      const { subgraph } = useRunningSubgraph(agency, backend, SUBJECTS);

      it("counts the subjects with records of each type, as the sections show them", async () => {
        const store = subgraph().store as Store<DB>;
        const expected = await oracle(store, ids);
        // Every kind occurs in the seeded data, so a count stuck at zero would show.
        for (const n of Object.values(expected)) expect(n).toBeGreaterThan(0);
        const before = store.stats.statements;
        const { status, body } = await fetchSubjectCounts(agency.name, subgraph().url, true);
        expect(status).toBe(200);
        expect(body).toEqual({ agency: agency.name, counts: expected });
        expect(store.stats.statements - before).toBe(1);
      });

      it("refuses an unsigned request and gives no counts", async () => {
        const { status, body } = await fetchSubjectCounts(agency.name, subgraph().url, false);
        expect(status).toBe(401);
        expect(body).not.toHaveProperty("counts");
      });
    });
  }
}
