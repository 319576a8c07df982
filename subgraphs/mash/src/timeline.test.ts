import {
  type CallerContext,
  generatePopulation,
  openStore,
  type Store,
  silentProgress,
} from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEnquiry } from "./decision.ts";
import { recordDisagreement } from "./disagreements.ts";
import { openEnquiry } from "./enquiries.ts";
import { clockSettings, jones, okafor, patel } from "./hub-testing.ts";
import { createLoaders } from "./loaders.ts";
import { changeRag } from "./rag.ts";
import { seed } from "./seed.ts";
import { askedRequest, type MashDB, migrations } from "./store.ts";

const settings = clockSettings;
const khan: CallerContext = {
  sub: "hv.khan",
  roles: ["health_visitor"],
  agency: "health",
  rid: "r3",
};
const T0 = Date.parse("2026-11-26T09:00:00Z");
const t = (h: number) => new Date(T0 + h * 3600_000).toISOString().replace(".000Z", "Z");
const when = (h: number) => new Date(t(h));
/** Every free text written below carries this, so the timeline can be searched for it. */
const SECRET = "SECRET-TEXT";
const secret = (what: string) => `${SECRET} ${what} that a timeline must never show`;

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash enquiry timeline on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;

    beforeAll(async () => {
      store = await openStore<MashDB>({
        agency: "mash",
        config: temp.configFor("mash"),
        migrations,
      });
      const population = generatePopulation({ subjects: 60 });
      await seed({ db: store.db, dialect: store.dialect, population, progress: silentProgress });
    });
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    it("lists every step from contact to disagreement, in time order, with no reason or finding", async () => {
      const e = await openEnquiry(
        store,
        settings,
        patel,
        { reason: secret("opening reason"), rag: "AMBER", subjectIds: ["S-1001"], ask: ["police"] },
        when(0),
      );
      // A contact as contacts.ts writes one, screened to this enquiry (it has its own tests).
      await store.db
        .insertInto("contacts")
        .values({
          id: "C-9001",
          number: 9001,
          received_at: t(-2),
          recorded_at: t(-1.5),
          recorded_by: "fd.lee",
          referrer_kind: "AGENCY",
          referrer_agency: secret("referrer agency"),
          referrer_name: secret("referrer name"),
          referrer_role: secret("role"),
          referrer_how: secret("how to reach"),
          concern: secret("concern"),
          consent_sought: 0,
          consent_reason: secret("consent reason"),
          screening_outcome: "PROGRESS_TO_ENQUIRY",
          screening_reason: secret("screening reason"),
          screened_agency: "childrens-services",
          screened_by: "fd.lee",
          screened_at: t(-1),
          enquiry_id: e.id,
        })
        .execute();
      await changeRag(
        store,
        settings,
        patel,
        { enquiryId: e.id, rag: "RED", reason: secret("rag reason") },
        when(1),
      );
      // An ask, an answer with its sharing decision, and a release, as research.ts writes them.
      await store.db
        .insertInto("research_requests")
        .values(askedRequest(e.id, "health", t(2), "mgr.okafor", t(6)))
        .execute();
      await store.db
        .insertInto("sharing_decisions")
        .values({
          enquiry_id: e.id,
          seq: 1,
          agency: "police",
          decision: "SHARE_WITH_CONDITIONS",
          reason: secret("sharing reason"),
          recorded_by: "pc.jones",
          recorded_at: t(3),
        })
        .execute();
      await store.db
        .updateTable("research_requests")
        .set({
          answered_at: t(3),
          answered_by: "pc.jones",
          finding: secret("finding"),
          nothing_known: 0,
          decision_seq: 1,
        })
        .where("enquiry_id", "=", e.id)
        .where("agency", "=", "police")
        .execute();
      await store.db
        .updateTable("research_requests")
        .set({
          released_at: t(4),
          released_by: "sw.patel",
          release_reason: secret("release reason"),
        })
        .where("enquiry_id", "=", e.id)
        .where("agency", "=", "health")
        .execute();
      await recordDisagreement(
        store,
        settings,
        jones,
        { enquiryId: e.id, reason: secret("disagreement") },
        when(5),
      );
      await closeEnquiry(
        store,
        settings,
        okafor,
        {
          id: e.id,
          outcome: "SECTION_47_ENQUIRY",
          reason: secret("decision reason"),
          feedback: { how: secret("how the referrer was told") },
        },
        when(6),
      );
      await recordDisagreement(
        store,
        settings,
        khan,
        { enquiryId: e.id, reason: secret("disagreement") },
        when(7),
      );

      const timeline = await createLoaders(store).timeline.load(e.id);
      expect(timeline).toEqual([
        {
          at: t(-2),
          step: "CONTACT_RECEIVED",
          agency: null,
          by: "fd.lee",
          summary: "C-9001 from an agency",
        },
        {
          at: t(-1),
          step: "CONTACT_SCREENED",
          agency: "childrens-services",
          by: "fd.lee",
          summary: "C-9001: PROGRESS_TO_ENQUIRY",
        },
        {
          at: t(0),
          step: "ENQUIRY_OPENED",
          agency: "childrens-services",
          by: "sw.patel",
          summary: "opened AMBER",
        },
        {
          at: t(0),
          step: "RESEARCH_REQUESTED",
          agency: "police",
          by: "sw.patel",
          summary: "police asked",
        },
        {
          at: t(1),
          step: "RAG_CHANGED",
          agency: "childrens-services",
          by: "sw.patel",
          summary: "AMBER → RED",
        },
        {
          at: t(2),
          step: "RESEARCH_REQUESTED",
          agency: "health",
          by: "mgr.okafor",
          summary: "health asked",
        },
        {
          at: t(3),
          step: "RESEARCH_ANSWERED",
          agency: "police",
          by: "pc.jones",
          summary: "police answered",
        },
        {
          at: t(3),
          step: "SHARING_DECISION_RECORDED",
          agency: "police",
          by: "pc.jones",
          summary: "police: SHARE_WITH_CONDITIONS",
        },
        {
          at: t(4),
          step: "RESEARCH_RELEASED",
          agency: "health",
          by: "sw.patel",
          summary: "health released",
        },
        {
          at: t(5),
          step: "DISAGREEMENT_RECORDED",
          agency: "police",
          by: "pc.jones",
          summary: "police disagrees",
        },
        {
          at: t(6),
          step: "DECISION_RECORDED",
          agency: null,
          by: "mgr.okafor",
          summary: "SECTION_47_ENQUIRY",
        },
        {
          at: t(6),
          step: "REFERRER_TOLD",
          agency: null,
          by: "mgr.okafor",
          summary: "referrer told",
        },
        {
          at: t(7),
          step: "DISAGREEMENT_RECORDED",
          agency: "health",
          by: "hv.khan",
          summary: "health disagrees",
        },
      ]);
      expect(JSON.stringify(timeline)).not.toContain(SECRET);
    });

    it("loads the timelines of many enquiries with a few statements, not one per enquiry", async () => {
      const ids = ["ENQ-2001", "ENQ-2002", "ENQ-2003", "ENQ-1999", "ENQ-404"];
      const loaders = createLoaders(store);
      const before = store.stats.statements;
      const all = await Promise.all(ids.map((id) => loaders.timeline.load(id)));
      expect(store.stats.statements - before).toBe(6);
      expect(all.at(-1)).toEqual([]);
      // Each seeded enquiry: opened, then its agencies asked (by the seed, when it opened).
      const seeded = all[0] ?? [];
      expect(seeded.map((s) => s.summary)).toEqual([
        "opened RED",
        "education asked",
        "health asked",
        "police asked",
        "probation asked",
      ]);
      const closed = all[3] ?? [];
      expect(closed.map((s) => s.step)).toEqual([
        "ENQUIRY_OPENED",
        "RESEARCH_REQUESTED",
        "DECISION_RECORDED",
      ]);
      expect(closed.at(-1)?.summary).toBe("NO_FURTHER_ACTION");
    });
  });
}
