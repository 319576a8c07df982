import { readFileSync } from "node:fs";
import { join } from "node:path";
import { storeBackends, type TempStores, tempStores } from "@mash/kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

    it("takes a version from draft to published with two officers, then rolls back", async () => {
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
      const restored = await lifecycle.rollback(alice, draft.id, "the board withdrew v2");
      expect(restored).toMatchObject({
        id: "police-v4",
        status: "PUBLISHED",
        restoredFrom: "police-v1",
        text: narrower,
        reason: "the board withdrew v2",
      });
      expect((await store.get(v2.id))?.status).toBe("SUPERSEDED");
      expect(await store.published()).toEqual(new Map([["police", narrower]]));
      // The first publication kept the repository file as a version, so it can be restored too.
      const baseline = await store.get("police-v2");
      expect(baseline).toMatchObject({
        status: "SUPERSEDED",
        text: policeText,
        author: "(policies/ file)",
      });
      const back = await lifecycle.rollback(bob, "police-v2", "back to the agreed default");
      expect(back).toMatchObject({ id: "police-v5", restoredFrom: "police-v2", text: policeText });
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
        "ROLLBACK police-v5 bob",
      ]);
      expect(await store.marker()).toBe(4);
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
