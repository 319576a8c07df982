import {
  type CallerContext,
  generatePopulation,
  openStore,
  type Store,
  silentProgress,
} from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Context } from "./context.ts";
import { closeEnquiry } from "./decision.ts";
import { recordDisagreement } from "./disagreements.ts";
import { listEnquiries, openEnquiry } from "./enquiries.ts";
import { at, badInput, clockSettings, okafor } from "./hub-testing.ts";
import { createLoaders } from "./loaders.ts";
import { processResolvers, takesPart } from "./process-resolvers.ts";
import { seed } from "./seed.ts";
import { type EnquiryView, type MashDB, migrations } from "./store.ts";

const settings = clockSettings;
const practitioner = (sub: string, agency: string | undefined): CallerContext => ({
  sub,
  roles: ["practitioner"],
  ...(agency === undefined ? {} : { agency }),
  rid: `r-${sub}`,
});
const patel = practitioner("sw.patel", "childrens-services");
const jones = practitioner("pc.jones", "police");
const khan = practitioner("hv.khan", "health");
const murphy = practitioner("dsl.murphy", "education");
const reason = "The risk to the child is understated";

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash disagreements and taking part on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    const disagreements = () =>
      store.db
        .selectFrom("disagreements")
        .selectAll()
        .orderBy("enquiry_id")
        .orderBy("seq")
        .execute();
    const disagree = (
      caller: CallerContext,
      enquiryId: string,
      why = reason,
      when = "2026-11-27T10:00:00Z",
    ) => recordDisagreement(store, settings, caller, { enquiryId, reason: why }, at(when));
    const context = (caller: CallerContext) =>
      ({ store, settings, caller, loaders: createLoaders(store) }) as Context;
    const field = (name: string) =>
      (
        processResolvers.Enquiry as Record<
          string,
          (e: EnquiryView, a: unknown, c: Context) => unknown
        >
      )[name];
    /** An enquiry led by children's services; police and health asked, health then released. */
    const ragged = async () => {
      const e = await openEnquiry(
        store,
        settings,
        patel,
        { reason, rag: "AMBER", subjectIds: ["S-1001"], ask: ["police", "health"] },
        at("2026-11-26T09:00:00Z"),
      );
      await store.db
        .updateTable("research_requests")
        .set({
          released_at: "2026-11-26T11:00:00Z",
          released_by: "sw.patel",
          release_reason: reason,
        })
        .where("enquiry_id", "=", e.id)
        .where("agency", "=", "health")
        .execute();
      return e;
    };

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

    it("records a disagreement from each agency that took part, open or closed, oldest first", async () => {
      const e = await ragged();
      const lead = await disagree(patel, ` ${e.id} `, `  ${reason}  `, "2026-11-26T12:00:00Z");
      expect(lead).toEqual({
        enquiryId: e.id,
        seq: 1,
        agency: "childrens-services",
        reason,
        recordedBy: "sw.patel",
        recordedAt: "2026-11-26T12:00:00Z",
      });
      expect(await field("escalated")?.(e, {}, context(okafor))).toBe(true);
      await closeEnquiry(
        store,
        settings,
        okafor,
        { id: e.id, outcome: "NO_FURTHER_ACTION", reason: "Explained by a fall at nursery" },
        at("2026-11-26T15:00:00Z"),
      );
      // Asked; and released, which still took part.
      await disagree(jones, e.id, "Police hold two call-outs in a month", "2026-11-27T09:00:00Z");
      await disagree(khan, e.id, "Health visitor concerns not weighed", "2026-11-27T10:00:00Z");
      await disagree(jones, e.id, "A further call-out since the decision", "2026-11-28T09:00:00Z");
      const list = await createLoaders(store).disagreements.load(e.id);
      expect(list.map((d) => [d.seq, d.agency, d.recordedBy, d.recordedAt])).toEqual([
        [1, "childrens-services", "sw.patel", "2026-11-26T12:00:00Z"],
        [2, "police", "pc.jones", "2026-11-27T09:00:00Z"],
        [3, "health", "hv.khan", "2026-11-27T10:00:00Z"],
        [4, "police", "pc.jones", "2026-11-28T09:00:00Z"],
      ]);
      expect(await field("disagreements")?.(e, {}, context(okafor))).toEqual(list);
      const quiet = await openEnquiry(store, settings, patel, {
        reason,
        rag: "GREEN",
        subjectIds: ["S-1004"],
      });
      expect(await field("escalated")?.(quiet, {}, context(okafor))).toBe(false);
      expect(await field("disagreements")?.(quiet, {}, context(okafor))).toEqual([]);
    });

    it("refuses a disagreement from an agency that took no part, or without a reason, and writes nothing", async () => {
      const e = await ragged();
      const before = await disagreements();
      const cases: [string, () => Promise<unknown>, string | undefined, RegExp][] = [
        [
          "not asked",
          () => disagree(murphy, e.id),
          "enquiryId",
          /Your agency took no part in ENQ-\d+ \(education/,
        ],
        ["unknown", () => disagree(patel, "ENQ-404404"), "enquiryId", /no enquiry/],
        ["no reason", () => disagree(patel, e.id, "  "), "reason", /is empty/],
        ["short reason", () => disagree(jones, e.id, "I disagree."), "reason", /at least 15/],
        ["no agency", () => disagree(practitioner("x", undefined), e.id), undefined, /no agency/],
      ];
      for (const [name, call, f, message] of cases) {
        const error = await badInput(call());
        expect(error.extensions.field, name).toBe(f);
        expect(error.message, name).toMatch(message);
      }
      expect(await disagreements()).toEqual(before);
    });

    it("says which agencies take part: the lead and those asked and not released, open or closed", async () => {
      const e = await ragged();
      // The field, and the list filter that must agree with it (Query.enquiries(takingPart)).
      const part = async (caller: CallerContext, enquiry: EnquiryView = e) => {
        const field = await takesPart(enquiry, context(caller));
        const listed = async (takingPart: boolean) =>
          (await listEnquiries(store, { takingPart, first: 500 }, caller.agency)).some(
            (x) => x.id === enquiry.id,
          );
        expect(await listed(true), `listed as taking part by ${caller.agency}`).toBe(field);
        expect(await listed(false), `listed as not taking part by ${caller.agency}`).toBe(!field);
        return field;
      };
      const expected = async (enquiry: EnquiryView) => {
        expect(await part(patel, enquiry), "lead").toBe(true);
        expect(await part(jones, enquiry), "asked").toBe(true);
        expect(await part(khan, enquiry), "released").toBe(false);
        expect(await part(murphy, enquiry), "not asked").toBe(false);
        expect(await part(practitioner("x", undefined), enquiry), "no agency").toBe(false);
        expect(await part(practitioner("x", "  "), enquiry), "blank agency").toBe(false);
        expect(await part(practitioner("x", " police "), enquiry), "as signed, trimmed").toBe(true);
      };
      await expected(e);
      // Through the resolver map, as the subgraph serves it.
      expect(await field("takesPart")?.(e, {}, context(jones))).toBe(true);
      expect(await field("takesPart")?.(e, {}, context(khan))).toBe(false);
      const closed = await closeEnquiry(store, settings, okafor, {
        id: e.id,
        outcome: "NO_FURTHER_ACTION",
        reason: "Explained by a fall at nursery",
      });
      await expected(closed);
      // Asked in one enquiry takes no part in another about the same child.
      const other = await openEnquiry(store, settings, patel, {
        reason,
        rag: "GREEN",
        subjectIds: ["S-1001"],
      });
      expect(await part(jones, other)).toBe(false);
      // An enquiry with no lead on record: only its asked agencies take part.
      await store.db
        .updateTable("enquiries")
        .set({ lead: null })
        .where("id", "=", other.id)
        .execute();
      expect(await part(patel, { ...other, lead: null })).toBe(false);
    });
  });
}
