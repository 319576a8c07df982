import type { Store } from "@mash/kit";
import { fetchSubjectCounts, storeBackends, useRunningSubgraph } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { mash } from "./index.ts";
import { type MashDB, toSubject } from "./store.ts";

const SUBJECTS = 200;

const subjectCounts = (url: string, signed: boolean) => fetchSubjectCounts("mash", url, signed);

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash subject counts on ${backend}`, () => {
    const { subgraph } = useRunningSubgraph(mash, backend, SUBJECTS);

    it("counts subjects, their addresses, and the subjects enquiries, decisions and research link", async () => {
      const store = subgraph().store as Store<MashDB>;
      const { db } = store;
      // The seed records no sharing decisions; one enquiry's decision links its subjects.
      const decided = await db
        .selectFrom("enquiry_subjects")
        .select("enquiry_id")
        .orderBy("enquiry_id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("sharing_decisions")
        .values({
          enquiry_id: decided.enquiry_id,
          seq: 1,
          agency: "police",
          decision: "SHARE",
          reason: "test",
          recorded_by: "test-user",
          recorded_at: "2026-11-25T09:00:00Z",
        })
        .execute();

      // Every row read and counted here, apart from the SQL under test.
      const subjects = (await db.selectFrom("subjects").selectAll().execute()).map(toSubject);
      const links = await db.selectFrom("enquiry_subjects").selectAll().execute();
      // The seed asks agencies in for the golden enquiries only.
      const researched = new Set(
        (await db.selectFrom("research_requests").select("enquiry_id").execute()).map(
          (r) => r.enquiry_id,
        ),
      );
      const distinct = (values: string[]) => new Set(values).size;
      const expected = {
        Subject: subjects.length,
        PersonName: subjects.length,
        Address: subjects.filter((s) => s.address !== null).length,
        Enquiry: distinct(links.map((l) => l.subject_id)),
        SharingDecision: distinct(
          links.filter((l) => l.enquiry_id === decided.enquiry_id).map((l) => l.subject_id),
        ),
        ResearchRequest: distinct(
          links.filter((l) => researched.has(l.enquiry_id)).map((l) => l.subject_id),
        ),
      };
      for (const n of Object.values(expected)) expect(n).toBeGreaterThan(0);
      expect(expected.Enquiry).toBeLessThan(expected.Subject);

      const before = store.stats.statements;
      const { status, body } = await subjectCounts(subgraph().url, true);
      expect(status).toBe(200);
      expect(body).toEqual({ agency: "mash", counts: expected });
      expect(store.stats.statements - before).toBe(1);
    });

    it("refuses an unsigned request and gives no counts", async () => {
      const { status, body } = await subjectCounts(subgraph().url, false);
      expect(status).toBe(401);
      expect(body).not.toHaveProperty("counts");
    });
  });
}
