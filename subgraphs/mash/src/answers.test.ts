import {
  type CallerContext,
  generatePopulation,
  openStore,
  type Store,
  seedStore,
} from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnswerResearchInput, answerResearch, MAX_FINDING } from "./answers.ts";
import { closeEnquiry } from "./decision.ts";
import { openEnquiry } from "./enquiries.ts";
import { at, badInput, hubSnapshot, jones, okafor, patel } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { createLoaders } from "./loaders.ts";
import { releaseResearch, requestResearch } from "./research.ts";
import { decisionKey, researchLoaders } from "./research-loaders.ts";
import { loadSettings } from "./settings.ts";
import { currentDecisions, recordSharingDecision } from "./sharing.ts";
import type { MashDB } from "./store.ts";

const settings = loadSettings({});
const khan: CallerContext = {
  sub: "dr.khan",
  roles: ["health_mash_nurse"],
  agency: "health",
  rid: "r3",
};
const lee: CallerContext = {
  sub: "ed.lee",
  roles: ["education_dsl"],
  agency: "education",
  rid: "r4",
};
const reason = "Relevant to the child's safety";

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash research answers on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    const research = async (id: string, agency: string) =>
      (await createLoaders(store).research.load(id)).find((r) => r.agency === agency);
    const history = (id: string) => createLoaders(store).sharingDecisions.load(id);
    /** Every row an answer could write: a refused one must leave them all as they were. */
    const everything = () => hubSnapshot(store);
    const open = (ask: string[], subject = "S-1001") =>
      openEnquiry(
        store,
        settings,
        patel,
        { reason: "Ragging in for answers", rag: "AMBER", subjectIds: [subject], ask },
        at("2026-11-26T09:00:00Z"),
      );

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

    it("answers with a finding, and with nothing known, each with its sharing decision", async () => {
      const { id } = await open(["police", "health"]);
      const asked = await research(id, "police");
      const found = await answerResearch(
        store,
        settings,
        jones,
        {
          enquiryId: ` ${id} `,
          agency: "police",
          finding: "  Two call-outs to the address in October  ",
          decision: "SHARE_WITH_CONDITIONS",
          decisionReason: "  Not to be shared with the father  ",
        },
        at("2026-11-26T11:00:00Z"),
      );
      expect(found).toEqual({
        ...asked,
        answeredAt: "2026-11-26T11:00:00Z",
        answeredBy: "pc.jones",
        finding: "Two call-outs to the address in October",
        nothingKnown: false,
        decisionSeq: 1,
      });
      expect(await research(id, "police")).toEqual(found);

      const nothing = await answerResearch(
        store,
        settings,
        khan,
        { enquiryId: id, nothingKnown: true, decision: "SHARE", decisionReason: reason },
        at("2026-11-26T12:00:00Z"),
      );
      expect(nothing).toMatchObject({
        agency: "health",
        answeredAt: "2026-11-26T12:00:00Z",
        answeredBy: "dr.khan",
        finding: null,
        nothingKnown: true,
        decisionSeq: 2,
      });
      expect(await research(id, "health")).toEqual(nothing);
      expect(
        (await history(id)).map((d) => [d.agency, d.decision, d.reason, d.recordedAt]),
      ).toEqual([
        ["health", "SHARE", reason, "2026-11-26T12:00:00Z"],
        [
          "police",
          "SHARE_WITH_CONDITIONS",
          "Not to be shared with the father",
          "2026-11-26T11:00:00Z",
        ],
      ]);
    });

    it("amends an answer, keeping every sharing decision in the history", async () => {
      const { id } = await open(["police"]);
      await answerResearch(
        store,
        settings,
        jones,
        { enquiryId: id, nothingKnown: true, decision: "SHARE", decisionReason: reason },
        at("2026-11-26T10:00:00Z"),
      );
      // A decision recorded on its own in between: the amended answer's comes after it.
      await recordSharingDecision(
        store,
        jones,
        { enquiryId: id, decision: "DO_NOT_SHARE", reason: "Live investigation" },
        at("2026-11-26T10:30:00Z"),
      );
      const first = await history(id);
      const amended = await answerResearch(
        store,
        settings,
        { ...jones, sub: "ds.ahmed" },
        {
          enquiryId: id,
          finding: "Found a 2025 arrest after all",
          decision: "SHARE",
          decisionReason: "The arrest bears on the risk",
        },
        at("2026-11-26T11:00:00Z"),
      );
      // Answered when it first answered: amending late does not make an answer in time a late one.
      expect(amended).toMatchObject({
        answeredAt: "2026-11-26T10:00:00Z",
        answeredBy: "ds.ahmed",
        finding: "Found a 2025 arrest after all",
        nothingKnown: false,
        decisionSeq: 3,
      });
      const all = await history(id);
      expect(all.slice(1)).toEqual(first);
      expect(all.map((d) => [d.decision, d.recordedBy])).toEqual([
        ["SHARE", "ds.ahmed"],
        ["DO_NOT_SHARE", "pc.jones"],
        ["SHARE", "pc.jones"],
      ]);
      expect(currentDecisions(all).map((d) => d.reason)).toEqual(["The arrest bears on the risk"]);
      expect(await research(id, "police")).toEqual(amended);
    });

    it("answers a request released and asked again", async () => {
      const { id } = await open(["police"]);
      const release = { enquiryId: id, agency: "police", reason: "Not needed for this one" };
      await releaseResearch(store, settings, patel, release);
      await requestResearch(store, settings, patel, { enquiryId: id, agencies: ["police"] });
      const answered = await answerResearch(store, settings, jones, {
        enquiryId: id,
        nothingKnown: true,
        decision: "SHARE",
        decisionReason: reason,
      });
      expect(answered).toMatchObject({ releasedAt: null, nothingKnown: true, decisionSeq: 1 });
    });

    it("refuses bad answers, naming the field, and writes nothing", async () => {
      const { id } = await open(["police", "health"], "S-1002");
      await answerResearch(store, settings, khan, {
        enquiryId: id,
        nothingKnown: true,
        decision: "SHARE",
        decisionReason: reason,
      });
      const released = await open(["police"], "S-1002");
      await releaseResearch(store, settings, patel, {
        enquiryId: released.id,
        agency: "police",
        reason: "Not known to the police",
      });
      const closed = await open(["police"], "S-1003");
      await closeEnquiry(store, settings, okafor, {
        id: closed.id,
        outcome: "NO_FURTHER_ACTION",
        reason: "Nothing of concern found",
      });

      const before = await everything();
      const ok: AnswerResearchInput = {
        enquiryId: id,
        finding: "Known to police",
        decision: "SHARE",
        decisionReason: reason,
      };
      const answer = (caller: CallerContext, input: Partial<AnswerResearchInput>) => () =>
        answerResearch(store, settings, caller, { ...ok, ...input });
      const cases: [string, () => Promise<unknown>, string | undefined, RegExp][] = [
        ["no agency", answer({ ...jones, agency: undefined }, {}), undefined, /no agency/],
        [
          "for another agency",
          answer(jones, { agency: "health" }),
          "input.agency",
          /input.agency is health, and yours is police: .*never for another agency/,
        ],
        ["for a blank agency", answer(jones, { agency: " " }), "input.agency", /yours is police/],
        [
          "no such enquiry",
          answer(jones, { enquiryId: "ENQ-404" }),
          "input.enquiryId",
          /no enquiry/,
        ],
        [
          "closed",
          answer(jones, { enquiryId: closed.id }),
          "input.enquiryId",
          /is closed: research is answered/,
        ],
        ["never asked", answer(lee, {}), "input.enquiryId", /education has not been asked/],
        ["the lead", answer(patel, {}), "input.enquiryId", /childrens-services has not been asked/],
        [
          "released",
          answer(jones, { enquiryId: released.id }),
          "input.enquiryId",
          /police was released from .*a released request is not answered/,
        ],
        ["no finding", answer(jones, { finding: undefined }), "input.finding", /is empty/],
        ["blank finding", answer(jones, { finding: "   " }), "input.finding", /is empty/],
        [
          "finding and nothing known",
          answer(jones, { nothingKnown: true }),
          "input.finding",
          /not both/,
        ],
        [
          "blank finding and nothing known",
          answer(jones, { finding: "", nothingKnown: true }),
          "input.finding",
          /not both/,
        ],
        [
          "finding too long",
          answer(jones, { finding: "x".repeat(MAX_FINDING + 1) }),
          "input.finding",
          /at most 8000/,
        ],
        ["decision", answer(jones, { decision: "MAYBE" }), "input.decision", /must be one of/],
        ["no reason", answer(jones, { decisionReason: "  " }), "input.decisionReason", /is empty/],
        [
          "short reason",
          answer(jones, { decisionReason: " 01234567890123 " }),
          "input.decisionReason",
          /has 14 characters; a reason of substance has at least 15/,
        ],
        // An answered request refused an amendment keeps its answer.
        ["amend, bad", answer(khan, { nothingKnown: true }), "input.finding", /not both/],
      ];
      for (const [name, call, field, message] of cases) {
        const error = await badInput(call());
        expect(error.extensions.field, name).toBe(field);
        expect(error.message, name).toMatch(message);
      }
      expect(await everything()).toEqual(before);
      // The minimum is enough, and the same input otherwise answers.
      await answer(jones, { decisionReason: "012345678901234" })();
      expect((await research(id, "police"))?.decisionSeq).toBe(2);
    });

    it("loads the decisions of many answers with one statement", async () => {
      const { id } = await open(["police", "health"]);
      for (const caller of [jones, khan]) {
        await answerResearch(store, settings, caller, {
          enquiryId: id,
          nothingKnown: true,
          decision: caller === jones ? "DO_NOT_SHARE" : "SHARE",
          decisionReason: reason,
        });
      }
      const loaders = researchLoaders(store);
      const statements = store.stats.statements;
      const decisions = await Promise.all(
        [decisionKey(id, 2), decisionKey(id, 1), decisionKey(id, 3), decisionKey("ENQ-404", 1)].map(
          (key) => loaders.answerDecision.load(key),
        ),
      );
      expect(store.stats.statements - statements).toBe(1);
      expect(decisions.map((d) => d && [d.agency, d.decision])).toEqual([
        ["health", "SHARE"],
        ["police", "DO_NOT_SHARE"],
        null,
        null,
      ]);
    });
  });
}
