import type { CallerContext, Store } from "@mash/kit";
import { signTestContext, storeBackends, useRunningSubgraph } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { mash } from "./index.ts";
import { mergeResolvers } from "./merge-resolvers.ts";
import { releaseResearch } from "./research.ts";
import { researchLoaders } from "./research-loaders.ts";
import { researchResolvers } from "./research-resolvers.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";
import { dueAt } from "./timescales.ts";

// The subgraph reads its settings from the environment, as this does.
const settings = loadSettings(process.env);

/**
 * The hub with research's resolvers and loaders. Once resolvers.ts and loaders.ts merge them,
 * the hub itself is used (merging twice would be refused as a field resolved twice).
 */
const wired = "answerResearch" in ((mash.resolvers as Record<string, object>).Mutation ?? {});
const hub = wired
  ? mash
  : {
      ...mash,
      resolvers: mergeResolvers([mash.resolvers, researchResolvers]),
      createLoaders: (store: Store<MashDB>) => ({
        ...mash.createLoaders(store),
        ...researchLoaders(store),
      }),
    };

const asw = { sub: "asw.brown", roles: ["adult_social_worker"], agency: "adult-social-care" };
const police = { sub: "pc.jones", roles: ["police_mash_officer"], agency: "police" };

interface Response {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash research answers through GraphQL on ${backend}`, () => {
    const { subgraph } = useRunningSubgraph(hub, backend, 50);
    const store = () => subgraph().store as Store<MashDB>;
    const post = async (caller: Partial<CallerContext>, query: string): Promise<Response> => {
      const body = JSON.stringify({ query });
      const response = await fetch(subgraph().url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mash-context": await signTestContext("mash", caller, body),
        },
        body,
      });
      return (await response.json()) as Response;
    };
    const fields = `agency askedAt dueBy overdue breachedAt
      answer { finding nothingKnown answeredAt answeredBy sharingDecision { agency decision reason recordedBy recordedAt } }`;

    it("answers, and reads the answer with its sharing decision, due time and timeliness", async () => {
      const opened = await post(
        asw,
        `mutation { openEnquiry(input: { reason: "Self-neglect reported", rag: GREEN, subjectIds: ["S-1006"], ask: ["police", "health"] }) { id research { ${fields} } } }`,
      );
      expect(opened.errors).toBeUndefined();
      const enquiry = opened.data?.openEnquiry as { id: string; research: { askedAt: string }[] };
      const askedAt = enquiry.research[0]?.askedAt as string;
      const dueBy = dueAt(settings.timescales, askedAt, "GREEN");
      expect(enquiry.research).toEqual(
        ["health", "police"].map((agency) => ({
          agency,
          askedAt,
          dueBy,
          overdue: false,
          breachedAt: null,
          answer: null,
        })),
      );

      const answered = await post(
        police,
        `mutation { answerResearch(input: { enquiryId: "${enquiry.id}", agency: "police", finding: "Two call-outs in October", decision: SHARE_WITH_CONDITIONS, decisionReason: "Not to be shared with the family" }) { ${fields} } }`,
      );
      expect(answered.errors).toBeUndefined();
      const answer = {
        finding: "Two call-outs in October",
        nothingKnown: false,
        answeredBy: "pc.jones",
        sharingDecision: {
          agency: "police",
          decision: "SHARE_WITH_CONDITIONS",
          reason: "Not to be shared with the family",
          recordedBy: "pc.jones",
        },
      };
      expect(answered.data?.answerResearch).toMatchObject({
        agency: "police",
        dueBy,
        overdue: false,
        breachedAt: null,
        answer,
      });

      // Released before its due time, unanswered: nothing was owed late.
      await releaseResearch(
        store(),
        settings,
        { ...asw, rid: "r1" },
        { enquiryId: enquiry.id, agency: "health", reason: "Not known to health services" },
      );
      const read = await post(
        asw,
        `{ enquiry(id: "${enquiry.id}") { research { ${fields} } sharingDecisionHistory { agency decision } } }`,
      );
      expect(read.errors).toBeUndefined();
      const again = read.data?.enquiry as {
        research: { answer: unknown }[];
        sharingDecisionHistory: unknown[];
      };
      expect(again.research).toMatchObject([
        { agency: "health", dueBy, overdue: false, breachedAt: null, answer: null },
        { agency: "police", dueBy, overdue: false, breachedAt: null, answer },
      ]);
      expect(again.sharingDecisionHistory).toEqual([
        { agency: "police", decision: "SHARE_WITH_CONDITIONS" },
      ]);
    });

    it("flags the seeded research as overdue, and reads a missing due time from the timescale", async () => {
      const read = async () =>
        (
          await post(
            { sub: "mash-gateway" },
            `{ enquiry(id: "ENQ-2002") { research { agency askedAt dueBy overdue breachedAt answer { finding } } } }`,
          )
        ).data?.enquiry as { research: { askedAt: string; dueBy: string }[] };
      const seeded = await read();
      // Asked when ENQ-2002 opened (AMBER, 2026-11-21), unanswered: long past due by now.
      const dueBy = dueAt(settings.timescales, "2026-11-21T14:00:00Z", "AMBER");
      expect(seeded.research).toEqual(
        ["education", "police"].map((agency) => ({
          agency,
          askedAt: "2026-11-21T14:00:00Z",
          dueBy,
          overdue: true,
          breachedAt: dueBy,
          answer: null,
        })),
      );
      // A row from before due times were kept: the same due time, counted from when it was asked.
      await store()
        .db.updateTable("research_requests")
        .set({ due_by: null })
        .where("enquiry_id", "=", "ENQ-2002")
        .execute();
      expect(await read()).toEqual(seeded);
    });

    it("refuses an answer for another agency, and a released request's, naming the field", async () => {
      const answer = (agency: string) =>
        post(
          police,
          `mutation { answerResearch(input: { enquiryId: "ENQ-2001", ${agency} nothingKnown: true, decision: SHARE, decisionReason: "Relevant to the child's safety" }) { agency } }`,
        );
      const refused = await answer(`agency: "health",`);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.agency",
      });

      await releaseResearch(
        store(),
        settings,
        { sub: "sw.patel", roles: ["social_worker"], agency: "childrens-services", rid: "r1" },
        { enquiryId: "ENQ-2001", agency: "police", reason: "Not known to the police" },
      );
      const released = await answer("");
      expect(released.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.enquiryId",
      });
      expect(released.errors?.[0]?.message).toMatch(/released/);
      // Released unanswered long after its due time (RED, four hours from 2026-11-20 09:15):
      // breached at its due time, and no longer overdue, since nothing is owed now.
      const read = await post(
        { sub: "mash-gateway" },
        `{ enquiry(id: "ENQ-2001") { research { agency dueBy overdue breachedAt releasedAt } } }`,
      );
      const research = (read.data?.enquiry as { research: { agency: string }[] } | undefined)
        ?.research;
      const dueBy = dueAt(settings.timescales, "2026-11-20T09:15:00Z", "RED");
      expect(research?.find((r) => r.agency === "police")).toEqual({
        agency: "police",
        dueBy,
        overdue: false,
        breachedAt: dueBy,
        releasedAt: expect.any(String),
      });
      expect(research?.find((r) => r.agency === "health")).toMatchObject({
        overdue: true,
        breachedAt: dueBy,
      });
    });
  });
}
