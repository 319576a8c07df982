import { Authority } from "../authz/ability.ts";
import { loadPolicyTexts, type PolicyText, policyVersionOf } from "../authz/policy/load.ts";
import type { PolicyProblem } from "../authz/policy/types.ts";
import { textHash, wideningOf } from "./lifecycle-widening.ts";
import type { PolicyReads } from "./policy-store.ts";
import { agencyTextOf, textsInForce, validateAgencyText } from "./policy-texts.ts";

/** A candidate text judged against what is in force at that moment in the store. */
export interface Judgement {
  problems: PolicyProblem[];
  /** What it gives any role beyond the text in force (see wideningOf); empty when it only narrows. */
  widening: string[];
  /** The agency's text in force, and its hash (what an approval is given against). */
  inForceText: string | undefined;
  inForceHash: string;
}

/**
 * Judges texts inside a step's transaction, against the store's published versions laid over
 * the policies directory: what the step is about to change, not what this gateway happens to
 * have loaded. The compiled policy in force is kept per version of the texts, so a step costs
 * one compilation (the candidate's) when nothing was published since the last.
 */
export function createJudge(options: { supergraphSdl: string; policiesDir: string }) {
  let compiled: { version: string; authority: Authority | undefined } | undefined;

  const inForce = async (reads: PolicyReads) => {
    const { files, problems } = textsInForce(options.policiesDir, await reads.published());
    const version = policyVersionOf(files);
    if (problems.length === 0 && compiled?.version !== version) {
      const loaded = loadPolicyTexts({ files, supergraphSdl: options.supergraphSdl });
      compiled = { version, authority: loaded.policy && new Authority(loaded.policy) };
    }
    return { files, problems, authority: problems.length ? undefined : compiled?.authority };
  };

  const load = (files: readonly PolicyText[], agency: string, text: string) =>
    validateAgencyText({ files, agency, text, supergraphSdl: options.supergraphSdl });

  return {
    async problemsOf(reads: PolicyReads, agency: string, text: string): Promise<PolicyProblem[]> {
      const current = await inForce(reads);
      if (current.problems.length) return current.problems;
      return load(current.files, agency, text).problems;
    },

    async judge(reads: PolicyReads, agency: string, text: string): Promise<Judgement> {
      const current = await inForce(reads);
      const inForceText = agencyTextOf(current.files, agency);
      const base = { inForceText, inForceHash: textHash(inForceText) };
      if (current.problems.length) return { ...base, problems: current.problems, widening: [] };
      const loaded = load(current.files, agency, text);
      if (!loaded.policy || !current.authority) {
        const problems = loaded.problems.length
          ? loaded.problems
          : [{ file: "policies", message: "the policy in force does not load" }];
        return { ...base, problems, widening: [] };
      }
      const widening = wideningOf(current.authority, new Authority(loaded.policy), agency);
      return { ...base, problems: [], widening };
    },
  };
}

export type Judge = ReturnType<typeof createJudge>;
