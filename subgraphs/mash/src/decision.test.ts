import {
  type CallerContext,
  generatePopulation,
  openStore,
  type Store,
  silentProgress,
} from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEnquiry, recordReferrerFeedback } from "./decision.ts";
import { openEnquiry } from "./enquiries.ts";
import { at, badInput, clockSettings, hubSnapshot, okafor, patel } from "./hub-testing.ts";
import { createLoaders } from "./loaders.ts";
import { seed } from "./seed.ts";
import { type MashDB, migrations } from "./store.ts";

const settings = clockSettings;
const reason = "Discussed at the MASH meeting";

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash decisions on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    const everything = () => hubSnapshot(store);
    const open = (subjectIds: string[], when = "2026-11-26T09:00:00Z") =>
      openEnquiry(store, settings, patel, { reason, rag: "AMBER", subjectIds }, at(when));
    const close = (id: string, outcome: string, when: string, more: object = {}) =>
      closeEnquiry(store, settings, okafor, { id, outcome, reason, ...more }, at(when));
    const person = (id: string, dateOfBirth: string | null) =>
      store.db
        .insertInto("subjects")
        .values({
          id,
          given_name: "Test",
          family_name: "Person",
          date_of_birth: dateOfBirth,
          nhs_number: null,
          address_line1: null,
          postcode: null,
          sealed: 0,
          household_id: null,
        })
        .execute();

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

    it("closes an open enquiry once, and refuses a second close without changing it", async () => {
      const opened = await open(["S-1004"]);
      const closed = await closeEnquiry(
        store,
        settings,
        okafor,
        {
          id: ` ${opened.id} `,
          outcome: "EARLY_HELP",
          reason: "  Family accepted early help  ",
          feedback: { how: " phone " },
        },
        at("2026-11-26T15:00:00Z"),
      );
      expect(closed).toEqual({
        ...opened,
        status: "CLOSED",
        outcome: "EARLY_HELP",
        closedAt: "2026-11-26T15:00:00Z",
        closeReason: "Family accepted early help",
        decidedBy: "mgr.okafor",
        feedback: { givenAt: "2026-11-26T15:00:00Z", how: "phone", recordedBy: "mgr.okafor" },
      });
      expect(await createLoaders(store).enquiry.load(opened.id)).toEqual(closed);

      const before = await everything();
      const error = await badInput(close(opened.id, "NO_FURTHER_ACTION", "2026-11-26T16:00:00Z"));
      expect(error.extensions.field).toBe("id");
      expect(error.message).toMatch(/already closed \(EARLY_HELP, 2026-11-26T15:00:00Z\)/);
      expect(await everything()).toEqual(before);
    });

    it("refuses bad decisions, naming the argument, and changes nothing", async () => {
      const child = await open(["S-1001", "S-1004"]);
      const adult = await open(["S-1006"]);
      const done = await open(["S-1007"]);
      await close(done.id, "NO_FURTHER_ACTION", "2026-11-26T10:00:00Z");
      const now = "2026-11-26T12:00:00Z";
      const before = await everything();
      const cases: [string, string, string, object, string, RegExp][] = [
        ["unknown", "ENQ-404404", "NO_FURTHER_ACTION", {}, "id", /no enquiry ENQ-404404/],
        ["closed", done.id, "EARLY_HELP", {}, "id", /already closed \(NO_FURTHER_ACTION/],
        ["not an outcome", child.id, "MAYBE", {}, "outcome", /one of NO_FURTHER_ACTION/],
        ["no reason", child.id, "EARLY_HELP", { reason: "   " }, "reason", /is empty/],
        ["short reason", child.id, "EARLY_HELP", { reason: " Seen it. " }, "reason", /at least 15/],
        ["s42, children only", child.id, "SECTION_42_ENQUIRY", {}, "outcome", /for an adult/],
        ...["SECTION_17_ASSESSMENT", "STRATEGY_DISCUSSION", "SECTION_47_ENQUIRY", "EARLY_HELP"].map(
          (outcome): [string, string, string, object, string, RegExp] => [
            `${outcome}, adult only`,
            adult.id,
            outcome,
            {},
            "outcome",
            /is for a child/,
          ],
        ),
        [
          "feedback how empty",
          child.id,
          "EARLY_HELP",
          { feedback: { how: " " } },
          "feedback.how",
          /is empty/,
        ],
        [
          "feedback how too long",
          child.id,
          "EARLY_HELP",
          { feedback: { how: "x".repeat(201) } },
          "feedback.how",
          /longer than 200/,
        ],
        [
          "feedback given: not a time",
          child.id,
          "EARLY_HELP",
          { feedback: { how: "phone", givenAt: "yesterday" } },
          "feedback.givenAt",
          /not a date/,
        ],
        [
          "feedback given in the future",
          child.id,
          "EARLY_HELP",
          { feedback: { how: "phone", givenAt: "2026-11-26T12:05:01Z" } },
          "feedback.givenAt",
          /in the future/,
        ],
        [
          "feedback given before opening",
          child.id,
          "EARLY_HELP",
          { feedback: { how: "phone", givenAt: "2026-11-26T08:59:59Z" } },
          "feedback.givenAt",
          /before .* opened \(2026-11-26T09:00:00Z\)/,
        ],
      ];
      for (const [name, id, outcome, more, field, message] of cases) {
        const error = await badInput(close(id, outcome, now, more));
        expect(error.extensions.field, name).toBe(field);
        expect(error.message, name).toMatch(message);
        expect(await everything(), name).toEqual(before);
      }
      // A manager whose agency takes no part (not the lead, not asked) cannot decide it, nor
      // record its feedback: no one decides an enquiry the agreement does not show them.
      const outsider: CallerContext = { ...okafor, agency: "adult-social-care" };
      const notTheirs = await badInput(
        closeEnquiry(
          store,
          settings,
          outsider,
          { id: child.id, outcome: "EARLY_HELP", reason },
          at(now),
        ),
      );
      expect(notTheirs.extensions.field).toBe("id");
      expect(notTheirs.message).toMatch(/adult-social-care, takes no part/);
      expect(await everything()).toEqual(before);
      await close(child.id, "EARLY_HELP", now);
      const feedbackRefused = await badInput(
        recordReferrerFeedback(
          store,
          outsider,
          { enquiryId: child.id, feedback: { how: "phone" } },
          at(now),
        ),
      );
      expect(feedbackRefused.extensions.field).toBe("enquiryId");
      expect(feedbackRefused.message).toMatch(/takes no part/);
      const other = await open(["S-1001"]);
      // Five minutes' clock skew is allowed, to the second.
      const skewed = await close(other.id, "EARLY_HELP", now, {
        feedback: { how: "phone", givenAt: "2026-11-26T12:05:00Z" },
      });
      expect(skewed.feedback?.givenAt).toBe("2026-11-26T12:05:00Z");
    });

    it("lets an outcome stand when it fits one of the people: a mixed family, or an age unknown", async () => {
      const family = ["S-1001", "S-1002"];
      for (const outcome of ["SECTION_42_ENQUIRY", "SECTION_47_ENQUIRY", "SECTION_17_ASSESSMENT"]) {
        const e = await open(family);
        expect((await close(e.id, outcome, "2026-11-26T12:00:00Z")).outcome).toBe(outcome);
      }
      await person("S-9001", null);
      for (const outcome of ["SECTION_42_ENQUIRY", "STRATEGY_DISCUSSION"]) {
        const e = await open(["S-9001"]);
        expect((await close(e.id, outcome, "2026-11-26T12:00:00Z")).outcome).toBe(outcome);
      }
      // Outcomes for no one in particular fit anyone.
      for (const [ids, outcome] of [
        [["S-1006"], "INFORMATION_AND_ADVICE"],
        [["S-1004"], "REFERRED_TO_OTHER_SERVICE"],
      ] as const) {
        const e = await open([...ids]);
        expect((await close(e.id, outcome, "2026-11-26T12:00:00Z")).outcome).toBe(outcome);
      }
    });

    it("counts age on the day of the decision, in England's calendar", async () => {
      await person("S-9002", "2008-11-26");
      const day = await open(["S-9002"], "2026-11-20T09:00:00Z");
      // The evening before the 18th birthday: still a child.
      const child = await badInput(close(day.id, "SECTION_42_ENQUIRY", "2026-11-25T23:59:59Z"));
      expect(child.extensions.field).toBe("outcome");
      expect(
        await badInput(close(day.id, "SECTION_47_ENQUIRY", "2026-11-26T00:00:00Z")),
      ).toMatchObject({
        extensions: { field: "outcome" },
      });
      expect((await close(day.id, "SECTION_42_ENQUIRY", "2026-11-26T00:00:00Z")).status).toBe(
        "CLOSED",
      );

      // In summer, midnight in England is 23:00 UTC the day before.
      await person("S-9003", "2008-07-01");
      const summer = await open(["S-9003"], "2026-06-29T09:00:00Z");
      await badInput(close(summer.id, "SECTION_42_ENQUIRY", "2026-06-30T22:59:59Z"));
      expect((await close(summer.id, "SECTION_42_ENQUIRY", "2026-06-30T23:00:00Z")).status).toBe(
        "CLOSED",
      );
    });

    it("records the referrer's feedback once, on a decided enquiry", async () => {
      const e = await open(["S-1001"]);
      const openBefore = await everything();
      const onOpen = await badInput(
        recordReferrerFeedback(store, okafor, { enquiryId: e.id, feedback: { how: "phone" } }),
      );
      expect(onOpen.extensions.field).toBe("enquiryId");
      expect(onOpen.message).toMatch(/not decided yet/);
      expect(await everything()).toEqual(openBefore);

      const closed = await close(e.id, "NO_FURTHER_ACTION", "2026-11-26T12:00:00Z");
      expect(closed.feedback).toBeNull();
      const feedback = (givenAt: string | null, how = "letter", enquiryId = e.id) =>
        recordReferrerFeedback(
          store,
          { ...okafor, sub: "mgr.ahmed" },
          { enquiryId, feedback: { givenAt, how } },
          at("2026-11-26T14:00:00Z"),
        );
      const before = await everything();
      // Thunks, run one at a time, each against the state before any of them.
      const cases: [() => Promise<unknown>, string, RegExp][] = [
        [() => feedback(null, "letter", "ENQ-404404"), "enquiryId", /no enquiry/],
        [() => feedback(null, "  "), "feedback.how", /is empty/],
        [() => feedback("2026-11-26T14:05:01Z"), "feedback.givenAt", /in the future/],
        [() => feedback("2026-11-25T09:00:00Z"), "feedback.givenAt", /before .* opened/],
      ];
      for (const [call, field, message] of cases) {
        const error = await badInput(call());
        expect(error.extensions.field).toBe(field);
        expect(error.message).toMatch(message);
      }
      expect(await everything()).toEqual(before);

      const recorded = await feedback("2026-11-26T13:00:00Z", " letter to the school ");
      expect(recorded).toEqual({
        ...closed,
        feedback: {
          givenAt: "2026-11-26T13:00:00Z",
          how: "letter to the school",
          recordedBy: "mgr.ahmed",
        },
      });
      expect(await createLoaders(store).enquiry.load(e.id)).toEqual(recorded);
      const once = await everything();
      const again = await badInput(feedback(null, "phone"));
      expect(again.extensions.field).toBe("enquiryId");
      expect(again.message).toMatch(
        /already recorded \(given 2026-11-26T13:00:00Z, recorded by mgr.ahmed\)/,
      );
      expect(await everything()).toEqual(once);
    });

    it("lets one of many concurrent closes win, and refuses the others", async () => {
      const e = await open(["S-1001", "S-1002"]);
      const outcomes = [
        "NO_FURTHER_ACTION",
        "INFORMATION_AND_ADVICE",
        "EARLY_HELP",
        "SECTION_17_ASSESSMENT",
        "SECTION_47_ENQUIRY",
        "SECTION_42_ENQUIRY",
      ];
      const results = await Promise.allSettled(
        outcomes.map((outcome, i) =>
          closeEnquiry(
            store,
            settings,
            { ...okafor, sub: `mgr.${i}` },
            { id: e.id, outcome, reason },
            at("2026-11-26T12:00:00Z"),
          ),
        ),
      );
      const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
      expect(won).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") {
          expect(r.reason).toBeInstanceOf(GraphQLError);
          expect(r.reason.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
        }
      }
      const winner = won[0] ?? -1;
      const stored = await createLoaders(store).enquiry.load(e.id);
      expect(stored).toMatchObject({ outcome: outcomes[winner], decidedBy: `mgr.${winner}` });
    });
  });
}
