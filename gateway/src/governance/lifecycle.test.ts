import { readFileSync } from "node:fs";
import { join } from "node:path";
import { storeBackends, type TempStores, tempStores } from "@mash/kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aliasBomb } from "../authz/policy/hostile-yaml.ts";
import { defaultPoliciesDir, loadPolicies } from "../authz/policy/load.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import {
  createLifecycle,
  GovernanceError,
  type Lifecycle,
  type LifecycleRecord,
  type Officer,
} from "./lifecycle.ts";
import { openPolicyStore, type PolicyStore } from "./policy-store.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const policy = loadPolicies({ supergraphSdl }).policy as PolicySet;
const policeText = readFileSync(join(defaultPoliciesDir, "police.yaml"), "utf8");
const NURSE_RULE = "    roles: [health_safeguarding_nurse]\n    requires: { enquiry: true }";
/** The police file without the nurse's incident facts: a valid, narrower agreement. */
const narrower = policeText.replace(
  NURSE_RULE,
  "    roles: [social_worker]\n    requires: { enquiry: true }",
);

const officer = (id: string, agency: string, roles = ["governance_officer"]): Officer => ({
  id,
  agency,
  roles,
});
const alice = officer("alice", "police");
const bob = officer("bob", "police");
const carol = officer("carol", "health");
const pat = officer("pat", "police", ["police_mash_officer"]);

/** Runs a step expecting a GovernanceError with this code; returns it. */
async function refused(step: Promise<unknown>, code: string): Promise<GovernanceError> {
  const error = await step.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GovernanceError);
  expect((error as GovernanceError).code).toBe(code);
  return error as GovernanceError;
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`policy lifecycle on ${backend}`, () => {
    let temp: TempStores;
    let store: PolicyStore;
    /** Set only once the store opened, so a failed open still drops its schema. */
    let opened: PolicyStore | undefined;
    let records: LifecycleRecord[];
    let failRecord: boolean;
    let lifecycle: Lifecycle;

    beforeEach(async () => {
      expect(narrower).not.toBe(policeText);
      temp = tempStores(backend);
      opened = undefined;
      store = await openPolicyStore(temp.configFor("policy"));
      opened = store;
      records = [];
      failRecord = false;
      lifecycle = createLifecycle({
        store,
        supergraphSdl,
        policiesDir: defaultPoliciesDir,
        policy: () => policy,
        record(action) {
          if (failRecord) throw new Error("audit log unavailable");
          records.push(action);
        },
      });
    });
    afterEach(async () => {
      await opened?.close();
      await temp.cleanup();
    });

    it("takes a version from draft to published with two officers; a rollback needs a second too", async () => {
      const draft = await lifecycle.saveDraft(alice, { text: narrower, note: "nurse rule" });
      expect(draft).toMatchObject({ id: "police-v1", number: 1, status: "DRAFT", author: "alice" });
      await refused(lifecycle.propose(alice, draft.id, "  "), "BAD_INPUT");
      await refused(lifecycle.propose(bob, draft.id, "not mine"), "FORBIDDEN");
      const proposed = await lifecycle.propose(alice, draft.id, "minimum necessary");
      expect(proposed).toMatchObject({ status: "PROPOSED", reason: "minimum necessary" });
      expect((await refused(lifecycle.approve(alice, draft.id), "FORBIDDEN")).message).toMatch(
        /author cannot approve/,
      );
      await refused(lifecycle.approve(carol, draft.id), "NOT_FOUND");
      await refused(lifecycle.approve(pat, draft.id), "FORBIDDEN");
      await refused(lifecycle.publish(alice, draft.id), "BAD_STATE");
      const approved = await lifecycle.approve(bob, draft.id, "agreed at the board");
      expect(approved).toMatchObject({
        status: "APPROVED",
        approvedBy: "bob",
        reviewComment: "agreed at the board",
      });
      const published = await lifecycle.publish(alice, draft.id);
      expect(published).toMatchObject({ status: "PUBLISHED", publishedBy: "alice" });
      expect(await store.published()).toEqual(new Map([["police", narrower]]));

      // A second version supersedes the first.
      const v2 = await lifecycle.saveDraft(bob, { text: policeText });
      await lifecycle.propose(bob, v2.id, "restore the nurse");
      await lifecycle.approve(alice, v2.id);
      await lifecycle.publish(bob, v2.id);
      expect((await store.get(draft.id))?.status).toBe("SUPERSEDED");
      expect(await store.published()).toEqual(new Map([["police", policeText]]));

      await refused(lifecycle.rollback(alice, v2.id, "already"), "BAD_STATE");
      await refused(lifecycle.rollback(alice, draft.id, ""), "BAD_INPUT");
      // A rollback is a proposal restoring the text: nothing changes until another approves.
      const restoring = await lifecycle.rollback(alice, draft.id, "the board withdrew v2");
      expect(restoring).toMatchObject({
        id: "police-v4",
        status: "PROPOSED",
        author: "alice",
        restoredFrom: "police-v1",
        text: narrower,
        reason: "the board withdrew v2",
      });
      expect(await store.published()).toEqual(new Map([["police", policeText]]));
      await refused(lifecycle.approve(alice, restoring.id), "FORBIDDEN");
      await refused(lifecycle.publish(alice, restoring.id), "BAD_STATE");
      await lifecycle.approve(bob, restoring.id, "agreed");
      await lifecycle.publish(alice, restoring.id);
      expect((await store.get(v2.id))?.status).toBe("SUPERSEDED");
      expect(await store.published()).toEqual(new Map([["police", narrower]]));
      // The first publication kept the repository file as a version, so it can be restored too,
      // by the same two officers.
      const baseline = await store.get("police-v2");
      expect(baseline).toMatchObject({
        status: "SUPERSEDED",
        text: policeText,
        author: "(policies/ file)",
      });
      const back = await lifecycle.rollback(bob, "police-v2", "back to the agreed default");
      expect(back).toMatchObject({
        id: "police-v5",
        status: "PROPOSED",
        restoredFrom: "police-v2",
      });
      await refused(lifecycle.approve(bob, back.id), "FORBIDDEN");
      await lifecycle.approve(alice, back.id);
      await lifecycle.publish(bob, back.id);
      expect(await store.published()).toEqual(new Map([["police", policeText]]));
      expect((await store.list("police")).map((v) => v.id)).toEqual([
        "police-v5",
        "police-v4",
        "police-v3",
        "police-v2",
        "police-v1",
      ]);
      expect(records.map((r) => `${r.action} ${r.versionId} ${r.officer.id}`)).toEqual([
        "SAVE_DRAFT police-v1 alice",
        "PROPOSE police-v1 alice",
        "APPROVE police-v1 bob",
        "PUBLISH police-v1 alice",
        "SAVE_DRAFT police-v3 bob",
        "PROPOSE police-v3 bob",
        "APPROVE police-v3 alice",
        "PUBLISH police-v3 bob",
        "ROLLBACK police-v4 alice",
        "APPROVE police-v4 bob",
        "PUBLISH police-v4 alice",
        "ROLLBACK police-v5 bob",
        "APPROVE police-v5 alice",
        "PUBLISH police-v5 bob",
      ]);
      expect(await store.marker()).toBe(4);
    });

    it("lets one officer narrow at once, flagged for another, but never widen alone", async () => {
      const narrowing = await lifecycle.publishNarrowing(alice, {
        text: narrower,
        reason: "incident 4471: nurses saw incident facts they should not",
      });
      expect(narrowing).toMatchObject({
        status: "PUBLISHED",
        author: "alice",
        publishedBy: "alice",
        emergencyReason: "incident 4471: nurses saw incident facts they should not",
        emergencyReviewedBy: null,
      });
      expect(await store.published()).toEqual(new Map([["police", narrower]]));
      // Bob is told: it awaits review; it stays flagged until he reviews it.
      expect((await store.awaitingReview("police")).map((v) => v.id)).toEqual([narrowing.id]);

      // Alice, overruled, tries every way to undo it alone.
      const baseline = (await store.list("police")).find((v) => v.author === "(policies/ file)");
      expect(baseline?.status).toBe("SUPERSEDED");
      const id = baseline?.id as string;
      const widening = await refused(
        lifecycle.publishNarrowing(alice, { versionId: id, reason: "undo it" }),
        "BAD_STATE",
      );
      expect(widening.message).toMatch(
        /not a narrowing: health_safeguarding_nurse gains PoliceIncident\.\w+ in an enquiry \(DENIED -> ALLOWED\)/,
      );
      await refused(
        lifecycle.publishNarrowing(alice, { text: policeText, reason: "undo it" }),
        "BAD_STATE",
      );
      const rollback = await lifecycle.rollback(alice, id, "undo it");
      expect(rollback.status).toBe("PROPOSED");
      await refused(lifecycle.approve(alice, rollback.id), "FORBIDDEN");
      await refused(lifecycle.publish(alice, rollback.id), "BAD_STATE");
      expect(await store.published()).toEqual(new Map([["police", narrower]]));
      // A changed condition counts as more, whatever it matches (fail closed).
      const conditioned = policeText
        .replace(NURSE_RULE, "    roles: [social_worker]\n    requires: { enquiry: true }")
        .replace(
          "conditions: { handlingCode: P }",
          "conditions: { handlingCode: { $in: [P, C] } }",
        );
      expect(
        (
          await refused(
            lifecycle.publishNarrowing(alice, { text: conditioned, reason: "tidy" }),
            "BAD_STATE",
          )
        ).message,
      ).toMatch(/changed condition on Intelligence\./);

      // The inbox: the rollback awaits Bob, and so does the narrowing.
      expect((await store.awaitingReview("police")).map((v) => v.id).sort()).toEqual(
        [narrowing.id, rollback.id].sort(),
      );
      await refused(lifecycle.reviewNarrowing(alice, narrowing.id, "fine"), "FORBIDDEN");
      await refused(lifecycle.reviewNarrowing(bob, narrowing.id, " "), "BAD_INPUT");
      await refused(lifecycle.reviewNarrowing(carol, narrowing.id, "fine"), "NOT_FOUND");
      // Two officers reviewing at once: one review stands, the other is told it came second.
      const dave = officer("dave", "police");
      const [first, second] = await Promise.allSettled([
        lifecycle.reviewNarrowing(bob, narrowing.id, "right call"),
        lifecycle.reviewNarrowing(dave, narrowing.id, "agreed"),
      ]);
      expect([first.status, second.status].sort()).toEqual(["fulfilled", "rejected"]);
      const lost = (first.status === "rejected" ? first : second) as PromiseRejectedResult;
      expect((lost.reason as GovernanceError).code).toBe("BAD_STATE");
      const reviewed = await store.get(narrowing.id);
      expect(reviewed).toMatchObject({
        emergencyReviewedBy: first.status === "fulfilled" ? "bob" : "dave",
        status: "PUBLISHED",
      });
      await refused(lifecycle.reviewNarrowing(bob, narrowing.id, "again"), "BAD_STATE");
      await lifecycle.reject(bob, rollback.id, "the incident review stands");
      expect(await store.awaitingReview("police")).toEqual([]);
      // Nothing new, or nothing at all, is not a narrowing to publish.
      await refused(
        lifecycle.publishNarrowing(alice, { text: narrower, reason: "again" }),
        "BAD_STATE",
      );
      await refused(
        lifecycle.publishNarrowing(alice, { text: narrower, versionId: id, reason: "both" }),
        "BAD_INPUT",
      );
      // A change that changes no access (a comment) may go at once.
      const comment = await lifecycle.publishNarrowing(bob, {
        text: `${narrower}\n# reviewed after incident 4471\n`,
        reason: "note the review",
      });
      expect(comment.status).toBe("PUBLISHED");
      expect(records.filter((r) => r.action.includes("NARROWING")).map((r) => r.action)).toEqual([
        "PUBLISH_NARROWING",
        "REVIEW_NARROWING",
        "PUBLISH_NARROWING",
      ]);
    });

    it("needs a fresh approval when the policy in force changed under an approved widening", async () => {
      const restore = await lifecycle.saveDraft(alice, { text: policeText });
      const wider = policeText.replace(
        "      PoliceSection: [incidents]\n      PoliceIncident: [id, occurredAt",
        "      PoliceSection: [incidents, warningMarkers]\n      PoliceIncident: [id, occurredAt",
      );
      expect(wider).not.toBe(policeText);
      const more = await lifecycle.saveDraft(alice, { text: wider });
      await lifecycle.propose(alice, more.id, "nurses need markers");
      await lifecycle.approve(bob, more.id, "ok");
      // Meanwhile, an incident: Bob narrows at once.
      await lifecycle.publishNarrowing(bob, { text: narrower, reason: "incident 4471" });
      // Against the narrowed text, version 2 gives the nurse back the incident facts too: the
      // approval did not cover that.
      const error = await refused(lifecycle.publish(alice, more.id), "BAD_STATE");
      expect(error.message).toMatch(
        /changed after version 2 was approved.*health_safeguarding_nurse gains/,
      );
      expect(await store.published()).toEqual(new Map([["police", narrower]]));
      // An approved narrowing still publishes after the change in force.
      await lifecycle.discardDraft(alice, restore.id);
      const further = narrower.replace("PoliceSection: [known]", "PoliceSection: [known]\n  # x");
      const v = await lifecycle.saveDraft(alice, { text: further });
      await lifecycle.propose(alice, v.id, "comment");
      await lifecycle.approve(bob, v.id);
      await lifecycle.publishNarrowing(bob, {
        text: `${narrower}\n# one more\n`,
        reason: "moves the text in force on",
      });
      expect((await lifecycle.publish(alice, v.id)).status).toBe("PUBLISHED");
    });

    it("lets the author discard a draft, recorded; it leaves the list", async () => {
      const draft = await lifecycle.saveDraft(alice, { text: narrower });
      await refused(lifecycle.discardDraft(bob, draft.id), "FORBIDDEN");
      await refused(lifecycle.discardDraft(carol, draft.id), "NOT_FOUND");
      const discarded = await lifecycle.discardDraft(alice, draft.id);
      expect(discarded).toMatchObject({ status: "DISCARDED", discardedAt: expect.any(String) });
      await refused(lifecycle.discardDraft(alice, draft.id), "BAD_STATE");
      await refused(lifecycle.propose(alice, draft.id, "why"), "BAD_STATE");
      expect(await store.list("police")).toEqual([]);
      expect((await store.list("police", 50, { includeDiscarded: true })).map((v) => v.id)).toEqual(
        [draft.id],
      );
      expect(records.map((r) => r.action)).toEqual(["SAVE_DRAFT", "DISCARD_DRAFT"]);
    });

    it("stores an alias bomb as a draft, lists it with its problem, never proposes it", async () => {
      const bomb = aliasBomb();
      const draft = await lifecycle.saveDraft(alice, { text: bomb });
      expect(await lifecycle.problemsOf("police", bomb)).toEqual([
        { file: "police.yaml", line: 6, message: expect.stringMatching(/alias bomb/) },
      ]);
      const error = await refused(lifecycle.propose(alice, draft.id, "lol"), "INVALID_POLICY");
      expect(error.problems[0]?.line).toBe(6);
      await refused(
        lifecycle.saveDraft(alice, { text: `a: "${"x".repeat(300_000)}"` }),
        "BAD_INPUT",
      );
    });

    it("keeps an invalid text a draft: it can never be proposed", async () => {
      const broken = policeText.replace("PoliceSection: [known]", "PoliceSection: [knwon]");
      const draft = await lifecycle.saveDraft(alice, { text: broken });
      const error = await refused(lifecycle.propose(alice, draft.id, "typo"), "INVALID_POLICY");
      expect(error.problems).toEqual([
        expect.objectContaining({
          file: "police.yaml",
          rule: "police-known-flag",
          line: expect.any(Number),
          message: expect.stringMatching(/knwon/),
        }),
      ]);
      expect((await store.get(draft.id))?.status).toBe("DRAFT");
      // Another agency's rules in this agency's file are refused the same way.
      const health = readFileSync(join(defaultPoliciesDir, "health.yaml"), "utf8");
      const wrong = await lifecycle.saveDraft(alice, { text: health });
      await refused(lifecycle.propose(alice, wrong.id, "mine now"), "INVALID_POLICY");
      expect(await lifecycle.problemsOf("police", narrower)).toEqual([]);
    });

    it("fails closed when the audit hook throws: nothing is committed", async () => {
      failRecord = true;
      await expect(lifecycle.saveDraft(alice, { text: narrower })).rejects.toThrow(/audit/);
      expect(await store.list("police")).toEqual([]);
      failRecord = false;
      const draft = await lifecycle.saveDraft(alice, { text: narrower });
      await lifecycle.propose(alice, draft.id, "why");
      await lifecycle.approve(bob, draft.id);
      failRecord = true;
      await expect(lifecycle.publish(alice, draft.id)).rejects.toThrow(/audit/);
      expect((await store.get(draft.id))?.status).toBe("APPROVED");
      expect(await store.published()).toEqual(new Map());
      expect(await store.marker()).toBe(0);
    });

    it("rejects a proposal with a reason, after which it cannot be published", async () => {
      const draft = await lifecycle.saveDraft(alice, { text: narrower });
      await lifecycle.propose(alice, draft.id, "why");
      await refused(lifecycle.reject(bob, draft.id, ""), "BAD_INPUT");
      const rejected = await lifecycle.reject(bob, draft.id, "not agreed");
      expect(rejected).toMatchObject({ status: "REJECTED", rejectedBy: "bob" });
      await refused(lifecycle.approve(bob, draft.id), "BAD_STATE");
      await refused(lifecycle.publish(alice, draft.id), "BAD_STATE");
    });
  });
}
