import {
  type CallerContext,
  generatePopulation,
  openStore,
  type Store,
  seedStore,
} from "@mash/kit";
import { signTestContext, storeBackends, tempStores, useRunningSubgraph } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEnquiry } from "./decision.ts";
import { openEnquiry } from "./enquiries.ts";
import { at, badInput, hubSnapshot, jones, okafor, patel } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { createLoaders } from "./loaders.ts";
import { releaseResearch, requestResearch } from "./research.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";
import { dueAt } from "./timescales.ts";

const settings = loadSettings({});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash research requests on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    const research = (id: string) => createLoaders(store).research.load(id);
    /** Every row the research mutations could write: a refused call must leave them all as they were. */
    const everything = () => hubSnapshot(store);

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

    it("asks agencies in, releases one with the reason, and asks it again", async () => {
      const opened = await openEnquiry(
        store,
        settings,
        patel,
        { reason: "Ragging in to research", rag: "RED", subjectIds: ["S-1001"], ask: ["police"] },
        at("2026-11-26T09:00:00Z"),
      );
      // Anyone in the lead agency may ask, not only whoever opened it.
      const asked = await requestResearch(
        store,
        settings,
        okafor,
        { enquiryId: ` ${opened.id} `, agencies: ["health", " education"] },
        at("2026-11-26T10:00:00Z"),
      );
      expect(asked).toEqual(opened);
      const request = (agency: string, askedAt: string, askedBy: string) => ({
        enquiryId: opened.id,
        agency,
        askedAt,
        askedBy,
        releasedAt: null,
        releasedBy: null,
        releaseReason: null,
        // Due from the enquiry's RAG timescale, counted from when this agency was asked.
        dueBy: dueAt(settings.timescales, askedAt, "RED"),
        answeredAt: null,
        answeredBy: null,
        finding: null,
        nothingKnown: false,
        decisionSeq: null,
      });
      expect(await research(opened.id)).toEqual([
        request("education", "2026-11-26T10:00:00Z", "mgr.okafor"),
        request("health", "2026-11-26T10:00:00Z", "mgr.okafor"),
        request("police", "2026-11-26T09:00:00Z", "sw.patel"),
      ]);

      const released = await releaseResearch(
        store,
        settings,
        patel,
        { enquiryId: opened.id, agency: "health", reason: "  Not known to health services  " },
        at("2026-11-26T11:00:00Z"),
      );
      expect(released.id).toBe(opened.id);
      expect((await research(opened.id)).find((r) => r.agency === "health")).toEqual({
        ...request("health", "2026-11-26T10:00:00Z", "mgr.okafor"),
        releasedAt: "2026-11-26T11:00:00Z",
        releasedBy: "sw.patel",
        releaseReason: "Not known to health services",
      });

      // Asked again: the same request, reopened; a released agency may take part once more.
      await requestResearch(
        store,
        settings,
        patel,
        { enquiryId: opened.id, agencies: ["health", "probation"] },
        at("2026-11-26T12:00:00Z"),
      );
      expect(await research(opened.id)).toEqual([
        request("education", "2026-11-26T10:00:00Z", "mgr.okafor"),
        request("health", "2026-11-26T12:00:00Z", "sw.patel"),
        request("police", "2026-11-26T09:00:00Z", "sw.patel"),
        request("probation", "2026-11-26T12:00:00Z", "sw.patel"),
      ]);
    });

    it("refuses bad asks and releases, naming the argument, and writes nothing", async () => {
      const { id } = await openEnquiry(store, settings, patel, {
        reason: "Refusals of bad asks",
        rag: "AMBER",
        subjectIds: ["S-1002"],
        ask: ["police", "health"],
      });
      await releaseResearch(store, settings, patel, {
        enquiryId: id,
        agency: "health",
        reason: "Nothing held by health",
      });
      const closed = await openEnquiry(store, settings, patel, {
        reason: "Closed one, for refusals",
        rag: "GREEN",
        subjectIds: ["S-1003"],
        ask: ["police"],
      });
      await closeEnquiry(store, settings, okafor, {
        id: closed.id,
        outcome: "NO_FURTHER_ACTION",
        reason: "Early help accepted by the family",
      });
      // Written as rows from before leads were kept would be: no lead.
      const legacy = await openEnquiry(store, settings, patel, {
        reason: "Before leads were kept",
        rag: "GREEN",
        subjectIds: ["S-1003"],
      });
      await store.db
        .updateTable("enquiries")
        .set({ lead: null })
        .where("id", "=", legacy.id)
        .execute();

      const before = await everything();
      // Thunks, run one at a time: each refusal is checked against the state before any of them.
      const ask = (caller: CallerContext, enquiryId: string, agencies: string[]) => () =>
        requestResearch(store, settings, caller, { enquiryId, agencies });
      const release =
        (caller: CallerContext, enquiryId: string, agency: string, reason: string) => () =>
          releaseResearch(store, settings, caller, { enquiryId, agency, reason });
      const reason = "No longer needed here";
      const cases: [string, () => Promise<unknown>, string | undefined, RegExp][] = [
        ["ask: no such enquiry", ask(patel, "ENQ-404", ["education"]), "enquiryId", /no enquiry/],
        ["ask: closed", ask(patel, closed.id, ["education"]), "enquiryId", /is closed/],
        ["ask: no lead", ask(patel, legacy.id, ["education"]), "enquiryId", /no lead agency/],
        [
          "ask: not the lead",
          ask(jones, id, ["education"]),
          "enquiryId",
          /does not lead ENQ-\d+: only its lead agency asks/,
        ],
        ["ask: none", ask(patel, id, []), "agencies", /is empty/],
        ["ask: the lead", ask(patel, id, ["childrens-services"]), "agencies", /the lead agency/],
        [
          "ask: twice",
          ask(patel, id, ["education", "education"]),
          "agencies",
          /education more than once/,
        ],
        [
          "ask: already asked, not released",
          ask(patel, id, ["education", "police"]),
          "agencies",
          /police \(asked .*\), already asked/,
        ],
        ["ask: malformed", ask(patel, id, ["Education"]), "agencies", /not an agency name/],
        [
          "ask: too many",
          ask(
            patel,
            id,
            Array.from({ length: 21 }, (_, i) => `agency-${i}`),
          ),
          "agencies",
          /at most 20/,
        ],
        [
          "ask: no agency",
          ask({ ...patel, agency: " " }, id, ["education"]),
          undefined,
          /no agency/,
        ],
        [
          "release: no such enquiry",
          release(patel, "ENQ-404", "police", reason),
          "enquiryId",
          /no enquiry/,
        ],
        ["release: closed", release(patel, closed.id, "police", reason), "enquiryId", /is closed/],
        ["release: no lead", release(patel, legacy.id, "police", reason), "enquiryId", /no lead/],
        [
          "release: not the lead",
          release(jones, id, "police", reason),
          "enquiryId",
          /only its lead agency releases/,
        ],
        [
          "release: never asked",
          release(patel, id, "education", reason),
          "agency",
          /not been asked/,
        ],
        [
          "release: the lead",
          release(patel, id, "childrens-services", reason),
          "agency",
          /not been asked/,
        ],
        [
          "release: already released",
          release(patel, id, "health", reason),
          "agency",
          /already released/,
        ],
        ["release: malformed", release(patel, id, "po lice", reason), "agency", /not an agency/],
        ["release: no reason", release(patel, id, "police", "   "), "reason", /is empty/],
        [
          "release: short reason",
          release(patel, id, "police", "  not  enough. "),
          "reason",
          /has 12 characters; a reason of substance has at least 15/,
        ],
        [
          "release: one character short",
          release(patel, id, "police", "01234567890123"),
          "reason",
          /at least 15/,
        ],
        [
          "release: no agency",
          release({ ...patel, agency: undefined }, id, "police", reason),
          undefined,
          /no agency/,
        ],
      ];
      for (const [name, call, field, message] of cases) {
        const error = await badInput(call());
        expect(error.extensions.field, name).toBe(field);
        expect(error.message, name).toMatch(message);
      }
      expect(await everything()).toEqual(before);
      // The hub's minimum (15 characters by default) is enough.
      await release(patel, id, "police", "012345678901234")();
      expect((await research(id)).find((r) => r.agency === "police")?.releaseReason).toBe(
        "012345678901234",
      );
    });

    it("loads the research of many enquiries with one statement", async () => {
      const loaders = createLoaders(store);
      const before = store.stats.statements;
      const all = await Promise.all(
        ["ENQ-2001", "ENQ-2002", "ENQ-2003", "ENQ-1999", "ENQ-404"].map((id) =>
          loaders.research.load(id),
        ),
      );
      expect(store.stats.statements - before).toBe(1);
      expect(all.map((list) => list.length)).toEqual([4, 2, 2, 1, 0]);
    });
  });
}

/** Through the subgraph's GraphQL, signed as the gateway would sign a user's request. */
for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash research through GraphQL on ${backend}`, () => {
    const { subgraph } = useRunningSubgraph(mash, backend, 50);
    const post = async (caller: Partial<CallerContext>, query: string) => {
      const body = JSON.stringify({ query });
      const response = await fetch(subgraph().url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mash-context": await signTestContext("mash", caller, body),
        },
        body,
      });
      return (await response.json()) as {
        data?: Record<string, { id: string; lead: string; research: unknown[] }> | null;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
    };
    const fields = "id lead research { agency askedAt askedBy releasedAt releaseReason }";

    it("reads the lead and research, and each mutation in one operation sees the one before", async () => {
      const seeded = await post(
        { sub: "mash-gateway" },
        `{ enquiry(id: "ENQ-2003") { id status subjects { id } lead research { agency releasedAt } } }`,
      );
      expect(seeded).toEqual({
        data: {
          enquiry: {
            id: "ENQ-2003",
            status: "OPEN",
            subjects: [{ id: "S-1006" }],
            lead: "adult-social-care",
            research: [
              { agency: "health", releasedAt: null },
              { agency: "police", releasedAt: null },
            ],
          },
        },
      });

      const asw = { sub: "asw.brown", roles: ["adult_social_worker"], agency: "adult-social-care" };
      const opened = await post(
        asw,
        `mutation { openEnquiry(input: { reason: "Self-neglect reported", rag: GREEN, subjectIds: ["S-1006"], ask: ["police"] }) { ${fields} } }`,
      );
      expect(opened.errors).toBeUndefined();
      const id = opened.data?.openEnquiry?.id;
      expect(opened.data?.openEnquiry).toMatchObject({
        lead: "adult-social-care",
        research: [{ agency: "police", askedBy: "asw.brown", releasedAt: null }],
      });

      const both = await post(
        asw,
        `mutation {
          asked: requestResearch(enquiryId: "${id}", agencies: ["health"]) { ${fields} }
          released: releaseResearch(enquiryId: "${id}", agency: "police", reason: "Not known to police") { ${fields} }
        }`,
      );
      expect(both.errors).toBeUndefined();
      expect(both.data?.asked?.research).toMatchObject([
        { agency: "health", releasedAt: null },
        { agency: "police", releasedAt: null },
      ]);
      expect(both.data?.released?.research).toMatchObject([
        { agency: "health", releasedAt: null },
        { agency: "police", releaseReason: "Not known to police" },
      ]);

      const refused = await post(
        { sub: "pc.jones", roles: ["police_mash_officer"], agency: "police" },
        `mutation { requestResearch(enquiryId: "${id}", agencies: ["education"]) { id } }`,
      );
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "enquiryId",
      });
    });
  });
}
