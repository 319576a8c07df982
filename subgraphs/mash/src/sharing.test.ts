import { generatePopulation, openStore, type Store, seedStore } from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEnquiry } from "./decision.ts";
import { openEnquiry } from "./enquiries.ts";
import { badInput, jones, patel } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { createLoaders } from "./loaders.ts";
import { loadSettings } from "./settings.ts";
import { currentDecisions, recordSharingDecision } from "./sharing.ts";
import type { MashDB } from "./store.ts";

const settings = loadSettings({});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash sharing decisions on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    const history = (id: string) => createLoaders(store).sharingDecisions.load(id);

    beforeAll(async () => {
      store = await openStore<MashDB>({
        agency: "mash",
        config: temp.configFor("mash"),
        migrations: mash.migrations,
      });
      await seedStore(mash, store, generatePopulation({ subjects: 100 }));
    });
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    it("records one current decision per agency, amendable, keeping the history", async () => {
      const { id } = await openEnquiry(store, settings, patel, {
        reason: "Sharing decisions",
        rag: "AMBER",
        subjectIds: ["S-1001"],
      });
      const first = await recordSharingDecision(
        store,
        patel,
        { enquiryId: id, decision: "SHARE", reason: " Relevant to the child's safety " },
        new Date("2026-11-26T10:00:00Z"),
      );
      expect(first).toEqual({
        enquiryId: id,
        agency: "childrens-services",
        decision: "SHARE",
        reason: "Relevant to the child's safety",
        recordedBy: "sw.patel",
        recordedAt: "2026-11-26T10:00:00Z",
      });
      await recordSharingDecision(
        store,
        patel,
        { enquiryId: id, decision: "SHARE_WITH_CONDITIONS", reason: "Not with the father" },
        new Date("2026-11-26T10:00:00Z"),
      );
      await recordSharingDecision(
        store,
        jones,
        { enquiryId: id, decision: "DO_NOT_SHARE", reason: "Live investigation" },
        new Date("2026-11-26T11:00:00Z"),
      );
      const all = await history(id);
      expect(all.map((d) => [d.agency, d.decision])).toEqual([
        ["police", "DO_NOT_SHARE"],
        ["childrens-services", "SHARE_WITH_CONDITIONS"],
        ["childrens-services", "SHARE"],
      ]);
      expect(currentDecisions(all).map((d) => [d.agency, d.decision, d.recordedBy])).toEqual([
        ["childrens-services", "SHARE_WITH_CONDITIONS", "sw.patel"],
        ["police", "DO_NOT_SHARE", "pc.jones"],
      ]);
      expect(await history("ENQ-2002")).toEqual([]);
    });

    it("refuses bad input, naming the argument, and writes nothing", async () => {
      const { id } = await openEnquiry(store, settings, patel, {
        reason: "To close before sharing",
        rag: "GREEN",
        subjectIds: ["S-1002"],
      });
      await closeEnquiry(store, settings, patel, {
        id,
        outcome: "NO_FURTHER_ACTION",
        reason: "Early help accepted",
      });
      const before = await store.db.selectFrom("sharing_decisions").selectAll().execute();
      const field = async (p: Promise<unknown>) => (await badInput(p)).extensions.field;
      const ok = { enquiryId: "ENQ-2001", decision: "SHARE", reason: "ok" };
      expect(
        await field(recordSharingDecision(store, patel, { ...ok, enquiryId: "ENQ-404" })),
      ).toBe("enquiryId");
      const closed = await badInput(recordSharingDecision(store, patel, { ...ok, enquiryId: id }));
      expect(closed.extensions.field).toBe("enquiryId");
      expect(closed.message).toMatch(/is closed/);
      expect(await field(recordSharingDecision(store, patel, { ...ok, reason: "  " }))).toBe(
        "reason",
      );
      expect(await field(recordSharingDecision(store, patel, { ...ok, decision: "MAYBE" }))).toBe(
        "decision",
      );
      const noAgency = await badInput(
        recordSharingDecision(store, { sub: "someone", roles: [], rid: "r3" }, ok),
      );
      expect(noAgency.message).toMatch(/no agency/);
      expect(await store.db.selectFrom("sharing_decisions").selectAll().execute()).toEqual(before);
    });

    it("loads the decisions of many enquiries with one statement", async () => {
      const loaders = createLoaders(store);
      const before = store.stats.statements;
      await Promise.all(
        ["ENQ-2001", "ENQ-2002", "ENQ-2003"].map((id) => loaders.sharingDecisions.load(id)),
      );
      expect(store.stats.statements - before).toBe(1);
    });

    it("keeps every concurrent recording", async () => {
      const { id } = await openEnquiry(store, settings, patel, {
        reason: "Concurrent recordings",
        rag: "RED",
        subjectIds: ["S-1003"],
      });
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          recordSharingDecision(store, i % 2 ? jones : patel, {
            enquiryId: id,
            decision: "SHARE",
            reason: `take ${i}`,
          }),
        ),
      );
      expect((await history(id)).length).toBe(5);
      expect(currentDecisions(await history(id)).length).toBe(2);
    });
  });
}
