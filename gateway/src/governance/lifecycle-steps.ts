import type { PolicySet } from "../authz/policy/types.ts";
import { sizeProblem } from "../authz/policy/yaml-limits.ts";
import { createJudge, type Judgement } from "./lifecycle-judge.ts";
import {
  GovernanceError,
  governedAgency,
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
import { agencyTextOf, textsInForce } from "./policy-texts.ts";

export interface LifecycleDeps {
  store: PolicyStore;
  supergraphSdl: string;
  policiesDir: string;
  /** The policy in force (for which roles are governance roles). */
  policy: () => PolicySet;
  /** Called for every step; a step's own `options.record` is called too. One of them must be. */
  record?: RecordHook;
}

/** What every lifecycle step is built from: checks, the transaction, the record, publication. */
export function stepKit(deps: LifecycleDeps) {
  const judge = createJudge(deps);
  const now = () => new Date().toISOString();

  const agencyOf = (officer: Officer): string => governedAgency(deps.policy(), officer);

  const required = (value: string | undefined | null, what: string): string => {
    const trimmed = value?.trim();
    if (!trimmed) throw new GovernanceError("BAD_INPUT", `${what} is required`);
    return trimmed;
  };

  /** A text worth storing: not empty, and within the size any policy text may have. */
  const storable = (text: string | undefined | null, agency: string): string => {
    if (!text?.trim()) throw new GovernanceError("BAD_INPUT", "the text is empty");
    const tooBig = sizeProblem(`${agency}.yaml`, text);
    if (tooBig) throw new GovernanceError("BAD_INPUT", `the text ${tooBig.message}`);
    return text;
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

  /** The text judged against the store's policy in force; INVALID_POLICY unless it loads. */
  const loading = async (tx: PolicyWrites, agency: string, text: string): Promise<Judgement> => {
    const judged = await judge.judge(tx, agency, text);
    if (judged.problems.length)
      throw new GovernanceError(
        "INVALID_POLICY",
        `the text does not load as ${agency}'s policy (${judged.problems.length} problem(s)); fix it in a new draft`,
        judged.problems,
      );
    return judged;
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
      return await deps.store.transaction(fn);
    } catch (error) {
      if (error instanceof StaleVersionError) throw new GovernanceError("BAD_STATE", error.message);
      throw error;
    }
  };

  /** Makes room for a new version in force: the previous one is superseded. */
  const supersede = async (tx: PolicyWrites, agency: string) => {
    const previous = await tx.publishedVersion(agency);
    if (previous) {
      await tx.update(previous.id, "PUBLISHED", { status: "SUPERSEDED" });
      return;
    }
    // The first publication replaces the repository file: keep that text as a version, so a
    // rollback can always return to the rules the hub started from.
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
    judge,
    now,
    agencyOf,
    required,
    storable,
    versionFor,
    loading,
    recorder,
    step,
    supersede,
    problemsOf: (agency: string, text: string) => judge.problemsOf(deps.store, agency, text),
  };
}

export type StepKit = ReturnType<typeof stepKit>;
