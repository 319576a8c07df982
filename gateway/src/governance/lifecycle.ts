import type { PolicySet } from "../authz/policy/types.ts";
import {
  GovernanceError,
  governedAgency,
  type Lifecycle,
  type Officer,
  type RecordHook,
  type StepOptions,
} from "./lifecycle-types.ts";
import {
  type PolicyStatus,
  type PolicyStore,
  type PolicyVersion,
  type PolicyWrites,
  StaleVersionError,
} from "./policy-store.ts";
import { agencyTextOf, textsInForce, validateAgencyText } from "./policy-texts.ts";

export * from "./lifecycle-types.ts";

/**
 * The two-person lifecycle of an agency's sharing rules: DRAFT -> PROPOSED -> APPROVED (by a
 * second officer, never the author) -> PUBLISHED (the previous one SUPERSEDED), or REJECTED.
 * A text is re-validated against the policies in force at every step after the draft, so a text
 * that stopped loading (another agency published, the supergraph changed) never goes live.
 *
 * Rollback puts an earlier published text back in force at once, as a new PUBLISHED version
 * restoring it: no second approval, because that exact text was already approved by a second
 * officer when it was first published, and a rollback is what an officer needs in a hurry.
 *
 * Each step calls `record` inside the step's transaction, after its writes and before the commit:
 * if recording fails, nothing is committed (fail closed). A commit failing after a successful
 * record leaves an audit record of an attempt, never a change without one.
 */
export function createLifecycle(deps: {
  store: PolicyStore;
  supergraphSdl: string;
  policiesDir: string;
  /** The policy in force (for which roles are governance roles). */
  policy: () => PolicySet;
  /** Called for every step; a step's own `options.record` is called too. One of them must be. */
  record?: RecordHook;
}): Lifecycle {
  const { store } = deps;
  const now = () => new Date().toISOString();

  const agencyOf = (officer: Officer): string => governedAgency(deps.policy(), officer);

  const problemsIn = async (reads: PolicyWrites | PolicyStore, agency: string, text: string) => {
    const current = textsInForce(deps.policiesDir, await reads.published());
    if (current.problems.length) return current.problems;
    return validateAgencyText({
      files: current.files,
      agency,
      text,
      supergraphSdl: deps.supergraphSdl,
    }).problems;
  };

  const mustLoad = async (tx: PolicyWrites, agency: string, text: string) => {
    const problems = await problemsIn(tx, agency, text);
    if (problems.length)
      throw new GovernanceError(
        "INVALID_POLICY",
        `the text does not load as ${agency}'s policy (${problems.length} problem(s)); fix it in a new draft`,
        problems,
      );
  };

  const required = (value: string | undefined | null, what: string): string => {
    const trimmed = value?.trim();
    if (!trimmed) throw new GovernanceError("BAD_INPUT", `${what} is required`);
    return trimmed;
  };

  /** The version, checked to be the officer's agency's and in one of the expected states. */
  const versionFor = async (
    tx: PolicyWrites,
    agency: string,
    id: string,
    states: readonly PolicyStatus[],
  ): Promise<PolicyVersion> => {
    const version = await tx.get(id);
    // Another agency's version is reported as missing: its existence is not this officer's business.
    if (!version || version.agency !== agency)
      throw new GovernanceError("NOT_FOUND", `no version ${id} of ${agency}'s policy`);
    if (!states.includes(version.status))
      throw new GovernanceError(
        "BAD_STATE",
        `version ${id} is ${version.status}; this needs ${states.join(" or ")}`,
      );
    return version;
  };

  // Fail closed: a step nobody records does not happen.
  const recorder =
    (options: StepOptions | undefined): RecordHook =>
    async (action) => {
      if (!deps.record && !options?.record)
        throw new Error("no audit hook: a governance step must be recorded");
      await deps.record?.(action);
      await options?.record?.(action);
    };

  const step = async <T>(fn: (tx: PolicyWrites) => Promise<T>): Promise<T> => {
    try {
      return await store.transaction(fn);
    } catch (error) {
      if (error instanceof StaleVersionError) throw new GovernanceError("BAD_STATE", error.message);
      throw error;
    }
  };

  const publishIn = async (tx: PolicyWrites, agency: string) => {
    const previous = await tx.publishedVersion(agency);
    if (previous) {
      await tx.update(previous.id, "PUBLISHED", { status: "SUPERSEDED" });
      return;
    }
    // The first publication replaces the repository file: keep that text as a version, so
    // "roll back" can always return to the rules the hub started from.
    const file = agencyTextOf(textsInForce(deps.policiesDir, await tx.published()).files, agency);
    if (file !== undefined)
      await tx.insert({
        agency,
        text: file,
        author: "(policies/ file)",
        status: "SUPERSEDED",
        note: "the repository file in force before the first publication",
      });
  };

  return {
    problemsOf: (agency, text) => problemsIn(store, agency, text),

    async saveDraft(officer, input, options) {
      const agency = agencyOf(officer);
      if (!input.text.trim()) throw new GovernanceError("BAD_INPUT", "the text is empty");
      // A draft may not load yet: officers save work in progress; it is checked when proposed.
      return step(async (tx) => {
        const version = await tx.insert({
          agency,
          text: input.text,
          author: officer.id,
          note: input.note?.trim() || null,
        });
        await recorder(options)({ action: "SAVE_DRAFT", versionId: version.id, agency, officer });
        return version;
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
        await mustLoad(tx, agency, draft.text);
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
        await mustLoad(tx, agency, proposal.text);
        const note = comment?.trim() || null;
        const approved = await tx.update(versionId, "PROPOSED", {
          status: "APPROVED",
          approvedBy: officer.id,
          approvedAt: now(),
          reviewComment: note,
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
        await mustLoad(tx, agency, approved.text);
        await publishIn(tx, agency);
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
        if (earlier.status === "PUBLISHED")
          throw new GovernanceError("BAD_STATE", `version ${toVersionId} is already in force`);
        await mustLoad(tx, agency, earlier.text);
        await publishIn(tx, agency);
        const at = now();
        const restored = await tx.insert({
          agency,
          text: earlier.text,
          author: officer.id,
          status: "PUBLISHED",
          note: `rollback to version ${earlier.number}`,
          reason: why,
          publishedBy: officer.id,
          publishedAt: at,
          restoredFrom: earlier.id,
        });
        await tx.announce(agency, restored.id);
        await recorder(options)({
          action: "ROLLBACK",
          versionId: restored.id,
          agency,
          officer,
          reason: why,
        });
        return restored;
      });
    },
  };
}
