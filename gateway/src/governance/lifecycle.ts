import { narrowingSteps } from "./lifecycle-narrowing.ts";
import { type LifecycleDeps, stepKit } from "./lifecycle-steps.ts";
import { GovernanceError, type Lifecycle } from "./lifecycle-types.ts";

export type { LifecycleDeps } from "./lifecycle-steps.ts";
export * from "./lifecycle-types.ts";

/**
 * The two-person lifecycle of an agency's sharing rules: DRAFT -> PROPOSED -> APPROVED (by a
 * second officer, never the author) -> PUBLISHED (the previous one SUPERSEDED), or REJECTED; a
 * draft its author throws away is DISCARDED. A text is re-validated against the policies in
 * force at every step after the draft, so a text that stopped loading never goes live.
 *
 * Nothing that gives any role more goes live on one officer's word. A rollback is a proposal
 * restoring the earlier text, which a second officer approves like any other: the text was
 * approved once, against the policy in force then, and undoing a later narrowing is a widening
 * now. An approval covers the change against the text in force when it was given; if that text
 * has changed since and the version now widens anything, it needs a fresh approval. The one
 * change a single officer may make at once is an emergency narrowing (lifecycle-narrowing.ts).
 *
 * Each step calls `record` inside the step's transaction, after its writes and before the commit:
 * if recording fails, nothing is committed (fail closed). A commit failing after a successful
 * record leaves an audit record of an attempt, never a change without one.
 */
export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  const kit = stepKit(deps);
  const { agencyOf, required, versionFor, loading, recorder, step, now } = kit;

  return {
    problemsOf: kit.problemsOf,

    async saveDraft(officer, input, options) {
      const agency = agencyOf(officer);
      const text = kit.storable(input.text, agency);
      // A draft may not load yet: officers save work in progress; it is checked when proposed.
      return step(async (tx) => {
        const version = await tx.insert({
          agency,
          text,
          author: officer.id,
          note: input.note?.trim() || null,
        });
        await recorder(options)({ action: "SAVE_DRAFT", versionId: version.id, agency, officer });
        return version;
      });
    },

    async discardDraft(officer, versionId, options) {
      const agency = agencyOf(officer);
      return step(async (tx) => {
        const draft = await versionFor(tx, agency, versionId, ["DRAFT"]);
        if (draft.author !== officer.id)
          throw new GovernanceError(
            "FORBIDDEN",
            `only the author (${draft.author}) may discard it`,
          );
        const discarded = await tx.update(versionId, "DRAFT", {
          status: "DISCARDED",
          discardedAt: now(),
        });
        await recorder(options)({ action: "DISCARD_DRAFT", versionId, agency, officer });
        return discarded;
      });
    },

    async propose(officer, versionId, reason, options) {
      const agency = agencyOf(officer);
      const why = required(reason, "a reason for the change");
      return step(async (tx) => {
        const draft = await versionFor(tx, agency, versionId, ["DRAFT"]);
        // The author proposes, so "never approved by its author" also means never by its proposer.
        if (draft.author !== officer.id)
          throw new GovernanceError(
            "FORBIDDEN",
            `only the author (${draft.author}) may propose it`,
          );
        await loading(tx, agency, draft.text);
        const proposed = await tx.update(versionId, "DRAFT", {
          status: "PROPOSED",
          reason: why,
          proposedAt: now(),
        });
        await recorder(options)({ action: "PROPOSE", versionId, agency, officer, reason: why });
        return proposed;
      });
    },

    async approve(officer, versionId, comment, options) {
      const agency = agencyOf(officer);
      return step(async (tx) => {
        const proposal = await versionFor(tx, agency, versionId, ["PROPOSED"]);
        if (proposal.author === officer.id)
          throw new GovernanceError(
            "FORBIDDEN",
            "the author cannot approve their own version; another governance officer of the agency must",
          );
        const judged = await loading(tx, agency, proposal.text);
        const note = comment?.trim() || null;
        const approved = await tx.update(versionId, "PROPOSED", {
          status: "APPROVED",
          approvedBy: officer.id,
          approvedAt: now(),
          reviewComment: note,
          approvedAgainst: judged.inForceHash,
        });
        await recorder(options)({
          action: "APPROVE",
          versionId,
          agency,
          officer,
          ...(note ? { reason: note } : {}),
        });
        return approved;
      });
    },

    async reject(officer, versionId, reason, options) {
      const agency = agencyOf(officer);
      const why = required(reason, "a reason for rejecting");
      return step(async (tx) => {
        const version = await versionFor(tx, agency, versionId, ["PROPOSED", "APPROVED"]);
        const rejected = await tx.update(versionId, version.status, {
          status: "REJECTED",
          rejectedBy: officer.id,
          rejectedAt: now(),
          reviewComment: why,
        });
        await recorder(options)({ action: "REJECT", versionId, agency, officer, reason: why });
        return rejected;
      });
    },

    async publish(officer, versionId, options) {
      const agency = agencyOf(officer);
      return step(async (tx) => {
        const approved = await versionFor(tx, agency, versionId, ["APPROVED"]);
        const judged = await loading(tx, agency, approved.text);
        // The approval covered the change against the text in force then; against a different
        // text (an emergency narrowing since, say) a widening is a change nobody approved.
        if (approved.approvedAgainst !== judged.inForceHash && judged.widening.length > 0)
          throw new GovernanceError(
            "BAD_STATE",
            `the policy in force changed after version ${approved.number} was approved, and against it this version widens access: ${judged.widening[0]}. A second officer must approve it again: open it in the editor and propose it anew`,
          );
        await kit.supersede(tx, agency);
        const published = await tx.update(versionId, "APPROVED", {
          status: "PUBLISHED",
          publishedBy: officer.id,
          publishedAt: now(),
        });
        await tx.announce(agency, versionId);
        await recorder(options)({ action: "PUBLISH", versionId, agency, officer });
        return published;
      });
    },

    async rollback(officer, toVersionId, reason, options) {
      const agency = agencyOf(officer);
      const why = required(reason, "a reason for the rollback");
      return step(async (tx) => {
        const earlier = await versionFor(tx, agency, toVersionId, ["SUPERSEDED", "PUBLISHED"]);
        const judged = await loading(tx, agency, earlier.text);
        if (earlier.status === "PUBLISHED" || earlier.text === judged.inForceText)
          throw new GovernanceError(
            "BAD_STATE",
            `version ${earlier.number}'s text is already in force`,
          );
        const proposal = await tx.insert({
          agency,
          text: earlier.text,
          author: officer.id,
          status: "PROPOSED",
          note: `rollback to version ${earlier.number}`,
          reason: why,
          proposedAt: now(),
          restoredFrom: earlier.id,
        });
        await recorder(options)({
          action: "ROLLBACK",
          versionId: proposal.id,
          agency,
          officer,
          reason: why,
        });
        return proposal;
      });
    },

    ...narrowingSteps(kit),
  };
}
