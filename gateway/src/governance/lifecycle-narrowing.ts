import type { Judgement } from "./lifecycle-judge.ts";
import type { StepKit } from "./lifecycle-steps.ts";
import { GovernanceError, type Lifecycle } from "./lifecycle-types.ts";
import type { PolicyVersion, PolicyWrites } from "./policy-store.ts";

/**
 * The one change a single officer may put in force at once: an emergency narrowing, after an
 * incident, when waiting for a second officer would leave data flowing that should not. It must
 * only take access away (no gain, no changed condition, no change to what a search reads); it is
 * flagged until another officer of the agency reviews it, and the inbox tells them so.
 */
export function narrowingSteps(
  kit: StepKit,
): Pick<Lifecycle, "publishNarrowing" | "reviewNarrowing"> {
  const { agencyOf, required, versionFor, loading, recorder, step, now } = kit;

  /** Loads, differs from the text in force, and widens nothing; else a refusal saying which. */
  const onlyNarrows = async (tx: PolicyWrites, agency: string, text: string) => {
    const judged: Judgement = await loading(tx, agency, text);
    if (text === judged.inForceText)
      throw new GovernanceError("BAD_STATE", "this text is already in force: nothing to publish");
    const first = judged.widening[0];
    if (first)
      throw new GovernanceError(
        "BAD_STATE",
        `this is not a narrowing: ${first}${
          judged.widening.length > 1 ? ` (and ${judged.widening.length - 1} more)` : ""
        }. A change that gives any role more needs a second officer's approval: propose it`,
      );
    return judged;
  };

  return {
    async publishNarrowing(officer, input, options) {
      const agency = agencyOf(officer);
      const why = required(input.reason, "a reason for the emergency narrowing");
      const id = input.versionId?.trim();
      if (Boolean(id) === Boolean(input.text))
        throw new GovernanceError("BAD_INPUT", "give either a version id or a text, not both");
      const text = id ? undefined : kit.storable(input.text, agency);
      return step(async (tx) => {
        const at = now();
        const emergency = { publishedBy: officer.id, publishedAt: at, emergencyReason: why };
        let published: PolicyVersion;
        const source = id
          ? await versionFor(tx, agency, id, ["DRAFT", "PROPOSED", "APPROVED", "SUPERSEDED"])
          : undefined;
        if (source?.status === "DRAFT" && source.author !== officer.id)
          throw new GovernanceError(
            "FORBIDDEN",
            `only the author (${source.author}) may publish their draft`,
          );
        await onlyNarrows(tx, agency, source?.text ?? (text as string));
        await kit.supersede(tx, agency);
        if (source && source.status !== "SUPERSEDED") {
          // A pending version goes into force itself, so no duplicate of it is left pending.
          published = await tx.update(source.id, source.status, {
            status: "PUBLISHED",
            ...emergency,
          });
        } else {
          published = await tx.insert({
            agency,
            text: source?.text ?? (text as string),
            author: officer.id,
            status: "PUBLISHED",
            note: source
              ? `emergency narrowing: rollback to version ${source.number}`
              : "emergency narrowing",
            restoredFrom: source?.id ?? null,
            ...emergency,
          });
        }
        await tx.announce(agency, published.id);
        await recorder(options)({
          action: "PUBLISH_NARROWING",
          versionId: published.id,
          agency,
          officer,
          reason: why,
        });
        return published;
      });
    },

    async reviewNarrowing(officer, versionId, comment, options) {
      const agency = agencyOf(officer);
      const note = required(comment, "a review comment");
      return step(async (tx) => {
        const version = await versionFor(tx, agency, versionId, ["PUBLISHED", "SUPERSEDED"]);
        if (!version.emergencyReason)
          throw new GovernanceError(
            "BAD_STATE",
            `version ${version.number} was not published as an emergency narrowing`,
          );
        if (version.publishedBy === officer.id)
          throw new GovernanceError(
            "FORBIDDEN",
            "you published this narrowing: another governance officer of the agency must review it",
          );
        if (version.emergencyReviewedBy)
          throw new GovernanceError(
            "BAD_STATE",
            `version ${version.number} was already reviewed by ${version.emergencyReviewedBy}`,
          );
        const reviewed = await tx.markReviewed(versionId, {
          by: officer.id,
          at: now(),
          comment: note,
        });
        if (!reviewed)
          throw new GovernanceError(
            "BAD_STATE",
            `version ${version.number} was reviewed by another officer first`,
          );
        await recorder(options)({
          action: "REVIEW_NARROWING",
          versionId,
          agency,
          officer,
          reason: note,
        });
        return reviewed;
      });
    },
  };
}
