import { GATEWAY_SUBJECT, generatePopulation, type Store } from "@mash/kit";
import { signTestContext, storeBackends, useRunningSubgraph } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { adultSocialCare } from "./index.ts";
import { type AdultSocialCareDB, loadSections } from "./store.ts";

const SUBJECTS = 200;
const ids = generatePopulation({ subjects: SUBJECTS }).persons.map((p) => p.id);

async function subjectCounts(url: string, signed: boolean) {
  const headers: Record<string, string> = signed
    ? { "x-mash-context": await signTestContext("adult-social-care", { sub: GATEWAY_SUBJECT }) }
    : {};
  const response = await fetch(new URL("/subject-counts", url), { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`adult-social-care subject counts on ${backend}`, () => {
    const { subgraph } = useRunningSubgraph(adultSocialCare, backend, SUBJECTS);

    it("counts the subjects with records of each type, as the sections show them", async () => {
      const store = subgraph().store as Store<AdultSocialCareDB>;
      // The sections the graph serves, read for every seeded subject: an oracle apart from the SQL.
      const sections = [...(await loadSections(store, ids)).values()];
      const having = (has: (section: (typeof sections)[number]) => boolean) =>
        sections.filter(has).length;
      const expected = {
        AdultSocialCareSection: sections.length,
        SafeguardingEnquiry: having((s) => s.safeguardingEnquiries.length > 0),
      };
      // Every kind occurs in the seeded data, so a count stuck at zero would show.
      for (const n of Object.values(expected)) expect(n).toBeGreaterThan(0);
      const before = store.stats.statements;
      const { status, body } = await subjectCounts(subgraph().url, true);
      expect(status).toBe(200);
      expect(body).toEqual({ agency: "adult-social-care", counts: expected });
      expect(store.stats.statements - before).toBe(1);
    });

    it("refuses an unsigned request and gives no counts", async () => {
      const { status, body } = await subjectCounts(subgraph().url, false);
      expect(status).toBe(401);
      expect(body).not.toHaveProperty("counts");
    });
  });
}
