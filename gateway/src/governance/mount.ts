import type { Logger } from "@mash/kit";
import type { GraphQLSchema } from "graphql";
import type { AuditStore } from "../audit/store.ts";
import { Authority } from "../authz/ability.ts";
import type { StatedEnquiry } from "../authz/judge.ts";
import { accessLogResolvers } from "./access-log.ts";
import type { SubjectCounts } from "./impact.ts";
import { createLifecycle } from "./lifecycle.ts";
import { createPolicyResolvers } from "./policy-api.ts";
import type { PolicyRuntime } from "./policy-runtime.ts";
import { agencyFileOf, problemViews, validateAgencyText } from "./policy-texts.ts";
import type { GovernanceContext, Resolvers } from "./resolvers.ts";
import type { RunAs } from "./simulate.ts";
import { type AuthorityFor, simulationResolvers } from "./simulation-api.ts";

/** Everything the governance API answers, over this gateway's log, policy store and graph. */
export function governanceResolvers(deps: {
  auditStore: AuditStore | undefined;
  runtime: PolicyRuntime;
  supergraphSdl: string;
  policiesDir: string;
  subjectCounts: SubjectCounts;
  logger: Logger;
  schema: () => GraphQLSchema | undefined;
  runAs: RunAs;
  resolveEnquiry: (id: string, requestId: string) => Promise<StatedEnquiry>;
}): Resolvers[] {
  const { policies, store: policyStore, shadow, shadowCandidates } = deps.runtime;
  const lifecycle = createLifecycle({
    store: policyStore,
    supergraphSdl: deps.supergraphSdl,
    policiesDir: deps.policiesDir,
    policy: () => policies.authority().policy,
  });
  const policy = createPolicyResolvers({
    officer: (context) => (context as GovernanceContext).officer,
    lifecycle,
    store: policyStore,
    holder: policies,
    supergraphSdl: deps.supergraphSdl,
    subjectCounts: deps.subjectCounts,
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
      schema: deps.schema,
      runAs: deps.runAs,
      resolveEnquiry: deps.resolveEnquiry,
      authorityFor,
    }),
  ];
}
