import { statSync } from "node:fs";
import type { Logger } from "@mash/kit";
import { GraphQLError } from "graphql";
import type { AuditStore } from "../audit/store.ts";
import { Authority } from "../authz/ability.ts";
import { caseChanges } from "../policy-tests/case-changes.ts";
import { caseFileOf, formatCaseProblem, readAgencyCases } from "../policy-tests/case-file.ts";
import { accessLogResolvers } from "./access-log.ts";
import type { SubjectCounts } from "./impact.ts";
import { unacknowledgedNotifications } from "./inbox.ts";
import { createLifecycle } from "./lifecycle.ts";
import { createPolicyResolvers } from "./policy-api.ts";
import type { PolicyRuntime } from "./policy-runtime.ts";
import { agencyFileOf, problemViews, validateAgencyText } from "./policy-texts.ts";
import { recordSchemaOf } from "./record-attributes.ts";
import type { GovernanceContext, Resolvers } from "./resolvers.ts";
import { type AuthorityFor, type CasesOf, simulationResolvers } from "./simulation-api.ts";

/** Everything the governance API answers, over this gateway's log, policy store and graph. */
export function governanceResolvers(deps: {
  auditStore: AuditStore | undefined;
  runtime: PolicyRuntime;
  supergraphSdl: string;
  policiesDir: string;
  subjectCounts: SubjectCounts;
  /** Impact shows smaller subject counts only as "fewer than" this (MASH_IMPACT_MIN_COUNT). */
  impactMinCount?: number;
  logger: Logger;
}): Resolvers[] {
  const { policies, store: policyStore, shadow, shadowCandidates } = deps.runtime;
  // Each agency's policy tests, beside the policy files (policies/tests/<agency>.yaml), read
  // against the policy in force at each use.
  const recordSchema = recordSchemaOf(deps.supergraphSdl);
  const casesOf: CasesOf = (agency, policy) => {
    const read = readAgencyCases(deps.policiesDir, agency, policy, recordSchema);
    return {
      cases: read.cases,
      problems: read.problems.map((p) => ({
        line: p.line ?? null,
        rule: p.case ?? null,
        message: formatCaseProblem(p),
      })),
    };
  };
  const lifecycle = createLifecycle({
    store: policyStore,
    supergraphSdl: deps.supergraphSdl,
    policiesDir: deps.policiesDir,
    policy: () => policies.authority().policy,
  });
  const policy = createPolicyResolvers({
    officer: (context) => (context as GovernanceContext).officer,
    unacknowledgedNotifications: (agency) =>
      unacknowledgedNotifications(deps.auditStore?.store.db, agency),
    lifecycle,
    store: policyStore,
    holder: policies,
    supergraphSdl: deps.supergraphSdl,
    subjectCounts: deps.subjectCounts,
    impactMinCount: deps.impactMinCount,
    caseChanges: (agency, current, candidate) => {
      const { cases, problems } = casesOf(agency, current.policy);
      // A case file that does not read must not pass as "no case changes": say so instead.
      if (problems.length)
        throw new GraphQLError(
          `Your agency's policy tests cannot be read, so the change cannot be checked against them: ${problems.map((p) => p.message).join("; ")}`,
          { extensions: { code: "INVALID_POLICY_TESTS", problems } },
        );
      return caseChanges(cases, current, candidate, recordSchema);
    },
    // The file's size and time of change: an edited case file is read again at the next impact.
    casesVersion: (agency) => {
      try {
        const stat = statSync(caseFileOf(deps.policiesDir, agency));
        return `${stat.size}:${stat.mtimeMs}`;
      } catch {
        return "none";
      }
    },
    shadow: shadow,
    // Each step is in the access log before it commits; a step that cannot be recorded fails.
    record: (context, step) =>
      (context as GovernanceContext).recordStep({
        action: `policy.${step.action.toLowerCase()}`,
        target: step.versionId,
        reason: step.reason,
      }),
    pendingChanged: async () => {
      await policies.sync();
      await shadowCandidates.refresh();
    },
  });

  // A candidate is simulated as the whole policy with the officer's agency's text replaced.
  const authorityFor: AuthorityFor = (officer, text) => {
    if (text === undefined) return { authority: policies.authority(), problems: [] };
    const files = policies.texts();
    const loaded = validateAgencyText({
      files,
      agency: officer.agency,
      text,
      supergraphSdl: deps.supergraphSdl,
    });
    if (!loaded.policy)
      return {
        authority: undefined,
        problems: problemViews(loaded.problems, agencyFileOf(files, officer.agency)),
      };
    return { authority: new Authority(loaded.policy), problems: [] };
  };

  return [
    accessLogResolvers(() => deps.auditStore?.store.db),
    policy,
    simulationResolvers({
      recordSchema,
      inForce: () => policies.authority(),
      authorityFor,
      casesOf,
    }),
  ];
}
