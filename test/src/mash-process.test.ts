import { storeBackends } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../../gateway/web/console/examples.ts";
import { FRONT_DOORS, processSteps, type Row, refused, SUBJECT } from "./mash-process-steps.ts";
import { startSystem, type TestSystem } from "./system.ts";

// One enquiry from contact to decision through the gateway, each step the console's own
// operation (gateway/operations) with its example, signed in as the example says: a police
// officer refers, the children's front door screens it, opens an enquiry asking police and
// health, re-rates it and asks education; police answer, health is released, the manager
// decides and tells the referrer, and police disagree. Refusals are checked on the way.

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`the MASH process through the gateway, on ${backend}`, () => {
    let system: TestSystem;
    const started = new Date(Date.now() - 60_000).toISOString();
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      system = await startSystem({ subjects: 20, backend });
    });
    afterAll(() => system?.stop());

    const { run, step, enquiryIds, readsAddress } = processSteps(() => system, ids);

    it("1. a police officer records a contact, and cannot read the front door's contacts", async () => {
      const contact = await step<Row>("RecordContact");
      const input = (EXAMPLES.RecordContact?.variables?.input ?? {}) as Row;
      expect(contact).toMatchObject({
        concern: input.concern,
        consentSought: false,
        subjects: [{ id: SUBJECT, name: { given: "Amelia", family: "Dough" } }],
      });
      expect(contact.id).toEqual(expect.any(String));
      ids.RecordContact = contact.id as string;
      const { body } = await system.query(
        "query($id: ID!) { contact(id: $id) { id } }",
        { id: ids.RecordContact },
        { as: "pc.jones" },
      );
      expect(body.errors?.[0]).toMatchObject({
        path: ["contact"],
        extensions: {
          code: "UNAUTHORIZED_FIELD_OR_TYPE",
          reason: `The sharing agreement gives Query.contact only to ${FRONT_DOORS}.`,
        },
      });
    });

    it("2. only a front door screens it, seeing the referrer and the repeat contacts", async () => {
      refused(await run("ScreenContact", "pc.jones"), "screenContact", FRONT_DOORS);
      const contact = await step<Row>("ScreenContact");
      expect(contact).toMatchObject({
        id: ids.RecordContact,
        referrer: { kind: "AGENCY", name: "PC Sam Jones", role: "Police MASH officer" },
        screening: {
          outcome: "PROGRESS_TO_ENQUIRY",
          agency: "childrens-services",
          screenedBy: "sw.patel",
        },
      });
      const repeats = contact.repeats as {
        subject: { id: string };
        contactsInLast12Months: number;
      }[];
      expect(repeats.map((r) => r.subject.id)).toEqual([SUBJECT]);
      expect(repeats[0]?.contactsInLast12Months).toBeGreaterThanOrEqual(1);
    });

    it("3. an education lead cannot open an enquiry; the front door opens one from the contact", async () => {
      const before = await enquiryIds();
      refused(await run("OpenEnquiryFromContact", "dsl.murphy"), "openEnquiry", FRONT_DOORS);
      expect(await enquiryIds()).toEqual(before);
      const enquiry = await step<Row>("OpenEnquiryFromContact");
      expect(enquiry).toMatchObject({
        status: "OPEN",
        rag: "AMBER",
        lead: "childrens-services",
        openedWithoutContact: false,
        contacts: [{ id: ids.RecordContact }],
      });
      expect((enquiry.subjects as Row[]).map((s) => s.id)).toEqual([SUBJECT]);
      expect((enquiry.research as Row[]).map((r) => r.agency).sort()).toEqual(["health", "police"]);
      ids.OpenEnquiryFromContact = enquiry.id as string;
      ids.dueBy = enquiry.dueBy as string;
    });

    it("4. the front door re-rates it RED with the reason, kept as history", async () => {
      refused(await run("ChangeRag", "nurse.evans"), "changeRag", FRONT_DOORS);
      const enquiry = await step<Row>("ChangeRag");
      expect(enquiry.rag).toBe("RED");
      expect(enquiry.ragHistory).toEqual([
        expect.objectContaining({ rag: "AMBER", previous: null, changedBy: "sw.patel" }),
        expect.objectContaining({
          rag: "RED",
          previous: "AMBER",
          reason: EXAMPLES.ChangeRag?.variables?.reason,
          changedBy: "sw.patel",
        }),
      ]);
      // A RED enquiry is due sooner than the AMBER one it was.
      expect(Date.parse(enquiry.dueBy as string)).toBeLessThan(Date.parse(ids.dueBy as string));
    });

    it("5. the lead asks education in too", async () => {
      const enquiry = await step<Row>("AskAgencies");
      const research = enquiry.research as Row[];
      expect(research.map((r) => r.agency).sort()).toEqual(["education", "health", "police"]);
      expect(research.find((r) => r.agency === "education")).toMatchObject({
        askedBy: "sw.patel",
        releasedAt: null,
      });
    });

    it("6. police answer their request, with their sharing decision", async () => {
      const answered = await step<Row>("AnswerResearch", {
        input: {
          ...((EXAMPLES.AnswerResearch?.variables?.input ?? {}) as Row),
          enquiryId: ids.OpenEnquiryFromContact,
        },
      });
      expect(answered).toMatchObject({
        agency: "police",
        answer: {
          nothingKnown: false,
          answeredBy: "pc.jones",
          sharingDecision: { decision: "SHARE" },
        },
      });
      // Police take part, so their purpose holds for the person the enquiry links.
      expect(await readsAddress("pc.jones")).toBe(true);
    });

    it("7. the lead releases health: health's purpose and view of the details end at once", async () => {
      expect(await readsAddress("nurse.evans")).toBe(true);
      const enquiry = await step<Row>("ReleaseAgency");
      expect((enquiry.research as Row[]).find((r) => r.agency === "health")).toMatchObject({
        releasedAt: expect.any(String),
        releaseReason: EXAMPLES.ReleaseAgency?.variables?.reason,
      });
      expect(await readsAddress("nurse.evans")).toBe(false);
      const { body } = await system.query<{ enquiry: Row | null }>(
        "query($id: ID!) { enquiry(id: $id) { id status takesPart reason } }",
        { id: ids.OpenEnquiryFromContact },
        { as: "nurse.evans" },
      );
      expect(body.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([
        ["enquiry.reason", "UNAUTHORIZED_FIELD_OR_TYPE"],
      ]);
    });

    it("8. only the manager decides; the decision closes it, tells the referrer, ends the purpose", async () => {
      refused(await run("DecideEnquiry", "sw.patel"), "closeEnquiry", "mash_manager");
      const decided = await step<Row>("DecideEnquiry");
      const vars = EXAMPLES.DecideEnquiry?.variables ?? {};
      expect(decided).toMatchObject({
        id: ids.OpenEnquiryFromContact,
        status: "CLOSED",
        outcome: vars.outcome,
        closeReason: vars.reason,
        decidedBy: "mgr.okafor",
        feedback: { how: (vars.feedback as Row | undefined)?.how, recordedBy: "mgr.okafor" },
      });
      expect(await readsAddress("pc.jones")).toBe(false);
      expect(await readsAddress("sw.patel")).toBe(false);
    });

    it("9. the referrer's feedback is on record once; nobody but the manager records it", async () => {
      const variables = {
        enquiryId: ids.OpenEnquiryFromContact,
        feedback: { how: "Letter to the referring officer confirming the assessment" },
      };
      refused(
        await run("RecordReferrerFeedback", "sw.patel", variables),
        "recordReferrerFeedback",
        "mash_manager",
      );
      const again = await run("RecordReferrerFeedback", "mgr.okafor", variables);
      expect(again.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "enquiryId",
      });
      const enquiry = await step<Row>("EnquiryProcess", { id: ids.OpenEnquiryFromContact });
      expect(enquiry.feedback).toMatchObject({
        how: (EXAMPLES.DecideEnquiry?.variables?.feedback as Row | undefined)?.how,
      });
    });

    it("10. police, who took part, disagree: an escalation the manager sees", async () => {
      const reason = "Police hold a further incident that points to a strategy discussion";
      // Probation took no part: the agreement lets it try, the hub refuses it.
      const outsider = await run("RecordDisagreement", "po.khan", {
        enquiryId: ids.OpenEnquiryFromContact,
        reason,
      });
      expect(outsider.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const disagreement = await step<Row>(
        "RecordDisagreement",
        { enquiryId: ids.OpenEnquiryFromContact, reason },
        "pc.jones",
      );
      expect(disagreement).toMatchObject({ agency: "police", reason, recordedBy: "pc.jones" });
      const enquiry = await step<Row>(
        "EnquiryProcess",
        { id: ids.OpenEnquiryFromContact },
        "mgr.okafor",
      );
      expect(enquiry).toMatchObject({
        escalated: true,
        disagreements: [{ agency: "police", reason }],
      });
    });

    it("11. the enquiry shows its research and every step, in order, to those who took part", async () => {
      const enquiry = await step<Row>(
        "EnquiryProcess",
        { id: ids.OpenEnquiryFromContact },
        "pc.jones",
      );
      expect(enquiry).toMatchObject({
        status: "CLOSED",
        takesPart: true,
        lead: "childrens-services",
        openedBy: "sw.patel",
        rag: "RED",
        outcome: EXAMPLES.DecideEnquiry?.variables?.outcome,
        contacts: [{ id: ids.RecordContact }],
      });
      const research = enquiry.research as Row[];
      expect(research.find((r) => r.agency === "police")?.answer).toMatchObject({
        answeredBy: "pc.jones",
      });
      const timeline = enquiry.timeline as { at: string; step: string; summary: string }[];
      const at = timeline.map((t) => Date.parse(t.at));
      expect(at).toEqual([...at].sort((a, b) => a - b));
      const steps = new Set(timeline.map((t) => t.step));
      for (const kind of [
        "CONTACT_RECEIVED",
        "CONTACT_SCREENED",
        "ENQUIRY_OPENED",
        "RAG_CHANGED",
        "RESEARCH_REQUESTED",
        "RESEARCH_ANSWERED",
        "RESEARCH_RELEASED",
        "DECISION_RECORDED",
        "REFERRER_TOLD",
        "DISAGREEMENT_RECORDED",
      ])
        expect(steps, kind).toContain(kind);
      // A summary never carries a reason.
      const reasons = [
        EXAMPLES.ChangeRag?.variables?.reason,
        EXAMPLES.ReleaseAgency?.variables?.reason,
        EXAMPLES.DecideEnquiry?.variables?.reason,
      ] as string[];
      for (const t of timeline) for (const r of reasons) expect(t.summary).not.toContain(r);
    });

    it("12. an agency that took no part sees only that the enquiry exists", async () => {
      const body = await run<{ enquiry: Row | null }>("EnquiryProcess", "po.khan", {
        id: ids.OpenEnquiryFromContact,
      });
      // Each detail is withheld at its own path; the enquiry stays, with only what exists.
      const enquiry = body.data?.enquiry as Record<string, unknown> | null | undefined;
      expect(enquiry).toMatchObject({ id: ids.OpenEnquiryFromContact, status: "CLOSED" });
      expect(enquiry?.reason).toBeNull();
      expect(body.errors?.length).toBeGreaterThan(0);
      for (const e of body.errors ?? [])
        expect(e.extensions?.code).toBe("UNAUTHORIZED_FIELD_OR_TYPE");
      const reason = await system.query(
        "query($id: ID!) { enquiry(id: $id) { id reason } }",
        { id: ids.OpenEnquiryFromContact },
        { as: "po.khan" },
      );
      expect(reason.body.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([
        ["enquiry.reason", "UNAUTHORIZED_FIELD_OR_TYPE"],
      ]);
      const basics = await system.query<{ enquiry: Row }>(
        "query($id: ID!) { enquiry(id: $id) { id status takesPart } }",
        { id: ids.OpenEnquiryFromContact },
        { as: "po.khan" },
      );
      expect(basics.body).toEqual({
        data: { enquiry: { id: ids.OpenEnquiryFromContact, status: "CLOSED", takesPart: false } },
      });
    });

    it("13. the manager's report counts the walk; nobody else reads it", async () => {
      const period = { from: started, to: new Date(Date.now() + 60_000).toISOString() };
      const body = await run("MashPerformance", "sw.patel", period);
      expect(body.errors?.[0]?.extensions?.reason).toBe(
        "The sharing agreement gives Query.mashPerformance only to mash_manager.",
      );
      const report = await step<Row>("MashPerformance", period);
      expect(report.contacts).toBeGreaterThanOrEqual(1);
      expect(report.enquiriesOpened).toBeGreaterThanOrEqual(1);
      expect(report.outcomes).toContainEqual({
        outcome: EXAMPLES.DecideEnquiry?.variables?.outcome,
        count: expect.any(Number),
      });
    });
  });
}
