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
import { closeEnquiry } from "./decision.ts";
import { openEnquiry } from "./enquiries.ts";
import { badInput, clockSettings, hubSnapshot, jones, okafor, patel } from "./hub-testing.ts";
import { createLoaders } from "./loaders.ts";
import { processResolvers } from "./process-resolvers.ts";
import { changeRag } from "./rag.ts";
import { seed } from "./seed.ts";
import type { Rag } from "./settings.ts";
import { askedRequest, type EnquiryView, type MashDB, migrations } from "./store.ts";

const settings = clockSettings;
const T0 = Date.parse("2026-11-26T09:00:00Z");
/** T0 plus h hours, as the store writes times. */
const t = (h: number) => new Date(T0 + h * 3600_000).toISOString().replace(".000Z", "Z");
const reason = "New information from the school";

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash RAG changes on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    const everything = () => hubSnapshot(store);
    const dues = async (enquiryId: string) =>
      Object.fromEntries(
        (await createLoaders(store).research.load(enquiryId)).map((r) => [r.agency, r.dueBy]),
      );
    const change = (caller: CallerContext, enquiryId: string, rag: string, why = reason, h = 3) =>
      changeRag(store, settings, caller, { enquiryId, rag, reason: why }, new Date(t(h)));

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

    it("changes the rating with the reason, keeps the history, and moves every due time still running", async () => {
      const opened = await openEnquiry(
        store,
        settings,
        patel,
        {
          reason: "Bruising seen at school",
          rag: "AMBER",
          subjectIds: ["S-1001"],
          ask: ["police", "health", "education"],
        },
        new Date(t(0)),
      );
      expect(opened.dueBy).toBe(t(24));
      // Written as an ask and a release would write them (research.ts has their own tests).
      await store.db
        .insertInto("research_requests")
        .values(askedRequest(opened.id, "probation", t(1), "sw.patel", t(25)))
        .execute();
      await store.db
        .updateTable("research_requests")
        .set({ released_at: t(2), released_by: "sw.patel", release_reason: "Not known to health" })
        .where("enquiry_id", "=", opened.id)
        .where("agency", "=", "health")
        .execute();
      // Answered: its due time is history, not a deadline.
      await store.db
        .updateTable("research_requests")
        .set({ answered_at: t(2.5), answered_by: "dsl.murphy", nothing_known: 1 })
        .where("enquiry_id", "=", opened.id)
        .where("agency", "=", "education")
        .execute();

      const red = await change(
        okafor,
        ` ${opened.id} `,
        "RED",
        "  Disclosure of an injury to the child  ",
      );
      expect(red).toEqual({ ...opened, rag: "RED", dueBy: t(4) });
      expect(await createLoaders(store).enquiry.load(opened.id)).toEqual(red);
      expect(await dues(opened.id)).toEqual({
        police: t(4),
        probation: t(5),
        health: t(24),
        education: t(24),
      });

      const green = await change(patel, opened.id, "GREEN", reason, 4);
      expect(green.dueBy).toBe(t(72));
      expect(await dues(opened.id)).toEqual({
        police: t(72),
        probation: t(73),
        health: t(24),
        education: t(24),
      });

      expect(await createLoaders(store).ragHistory.load(opened.id)).toEqual([
        {
          enquiryId: opened.id,
          seq: 1,
          rag: "AMBER",
          previous: null,
          reason: "Bruising seen at school",
          changedBy: "sw.patel",
          changedAt: t(0),
        },
        {
          enquiryId: opened.id,
          seq: 2,
          rag: "RED",
          previous: "AMBER",
          reason: "Disclosure of an injury to the child",
          changedBy: "mgr.okafor",
          changedAt: t(3),
        },
        {
          enquiryId: opened.id,
          seq: 3,
          rag: "GREEN",
          previous: "RED",
          reason,
          changedBy: "sw.patel",
          changedAt: t(4),
        },
      ]);
    });

    it("refuses bad changes, naming the argument, and changes nothing", async () => {
      const open = (rag: Rag = "AMBER") =>
        openEnquiry(store, settings, patel, {
          reason,
          rag,
          subjectIds: ["S-1002"],
          ask: ["police"],
        });
      const { id } = await open();
      const closed = await open();
      await closeEnquiry(store, settings, okafor, {
        id: closed.id,
        outcome: "NO_FURTHER_ACTION",
        reason,
      });
      const legacy = await open();
      await store.db
        .updateTable("enquiries")
        .set({ lead: null })
        .where("id", "=", legacy.id)
        .execute();

      const before = await everything();
      const cases: [string, () => Promise<unknown>, string | undefined, RegExp][] = [
        ["unknown", () => change(patel, "ENQ-404404", "RED"), "enquiryId", /no enquiry/],
        ["closed", () => change(okafor, closed.id, "RED"), "enquiryId", /is closed: a rating/],
        ["no lead", () => change(patel, legacy.id, "RED"), "enquiryId", /no lead agency/],
        [
          "not the lead",
          () => change(jones, id, "RED"),
          "enquiryId",
          /does not lead ENQ-\d+: only its lead agency changes its rating/,
        ],
        ["the same rating", () => change(patel, id, "AMBER"), "rag", /already rated AMBER/],
        ["not a rating", () => change(patel, id, "PURPLE"), "rag", /one of RED, AMBER, GREEN/],
        ["no reason", () => change(patel, id, "RED", "   "), "reason", /is empty/],
        ["short reason", () => change(patel, id, "RED", " Worse now "), "reason", /at least 15/],
        ["no agency", () => change({ ...patel, agency: " " }, id, "RED"), undefined, /no agency/],
      ];
      for (const [name, call, field, message] of cases) {
        const error = await badInput(call());
        expect(error.extensions.field, name).toBe(field);
        expect(error.message, name).toMatch(message);
      }
      expect(await everything()).toEqual(before);
    });

    it("chains concurrent changes of one enquiry: each previous is the rating before it", async () => {
      const { id } = await openEnquiry(store, settings, patel, {
        reason,
        rag: "RED",
        subjectIds: ["S-1003"],
      });
      const targets = ["AMBER", "GREEN", "AMBER", "GREEN", "RED", "AMBER"];
      const results = await Promise.allSettled(targets.map((rag) => change(patel, id, rag)));
      for (const r of results) {
        if (r.status === "rejected") {
          // Only "already rated so": never a clash of history numbers.
          expect(r.reason).toBeInstanceOf(GraphQLError);
          expect(r.reason.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "rag" });
        }
      }
      const history = await createLoaders(store).ragHistory.load(id);
      const changed = results.filter((r) => r.status === "fulfilled").length;
      expect(changed).toBeGreaterThan(0);
      expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
      expect(history).toHaveLength(1 + changed);
      history.slice(1).forEach((h, i) => {
        expect(h.previous).toBe(history[i]?.rag);
      });
      expect((await createLoaders(store).enquiry.load(id))?.rag).toBe(history.at(-1)?.rag);
    });

    it("flags a decision overdue as it happens: a rating raised past its timescale, a late close", async () => {
      const field = (name: string) =>
        (processResolvers.Enquiry as Record<string, (parent: EnquiryView) => unknown>)[name];
      const timing = (e: EnquiryView) => ({
        overdue: field("overdue")?.(e),
        breachedAt: field("breachedAt")?.(e),
      });
      const now = Date.now();
      const opened = await openEnquiry(
        store,
        settings,
        patel,
        { reason, rag: "AMBER", subjectIds: ["S-1001"] },
        new Date(now - 10 * 3600_000),
      );
      expect(timing(opened)).toEqual({ overdue: false, breachedAt: null });
      // Due 4 hours after opening, which was 10 hours ago: overdue at once.
      const red = await changeRag(store, settings, patel, {
        enquiryId: opened.id,
        rag: "RED",
        reason: "Disclosure of an injury to the child",
      });
      expect(red.dueBy).toBe(new Date(now - 6 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"));
      expect(timing(red)).toEqual({ overdue: true, breachedAt: red.dueBy });
      const closed = await closeEnquiry(store, settings, okafor, {
        id: opened.id,
        outcome: "NO_FURTHER_ACTION",
        reason: "Explained by a fall at nursery",
      });
      expect(timing(closed)).toEqual({ overdue: false, breachedAt: red.dueBy });
      const inTime = await openEnquiry(store, settings, patel, {
        reason,
        rag: "GREEN",
        subjectIds: ["S-1001"],
      });
      const decided = await closeEnquiry(store, settings, okafor, {
        id: inTime.id,
        outcome: "NO_FURTHER_ACTION",
        reason: "Explained by a fall at nursery",
      });
      expect(timing(decided)).toEqual({ overdue: false, breachedAt: null });
    });

    it("loads the history of many enquiries with one statement, oldest first", async () => {
      const loaders = createLoaders(store);
      const before = store.stats.statements;
      const all = await Promise.all(
        ["ENQ-2001", "ENQ-2002", "ENQ-1999", "ENQ-404"].map((id) => loaders.ragHistory.load(id)),
      );
      expect(store.stats.statements - before).toBe(1);
      expect(all.map((list) => list.map((h) => [h.enquiryId, h.rag, h.previous]))).toEqual([
        [["ENQ-2001", "RED", null]],
        [["ENQ-2002", "AMBER", null]],
        [["ENQ-1999", "GREEN", null]],
        [],
      ]);
    });
  });
}
