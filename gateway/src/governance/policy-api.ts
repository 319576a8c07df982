import { createHash } from "node:crypto";
import type { Authority } from "../authz/ability.ts";
import type { PolicyText } from "../authz/policy/load.ts";
import type { PolicyProblem } from "../authz/policy/types.ts";
import { inboxOf } from "./inbox.ts";
import {
  GovernanceError,
  governedAgency,
  type Lifecycle,
  type LifecycleRecord,
  type Officer,
} from "./lifecycle.ts";
import { agencyMatrix } from "./matrix.ts";
import { createImpact, type ImpactDeps } from "./policy-impact.ts";
import { createPolicyMutations } from "./policy-mutations.ts";
import type { PolicyStore, PolicyVersion } from "./policy-store.ts";
import { agencyFileOf, agencyTextOf, problemViews } from "./policy-texts.ts";
import { guarded, type Resolver } from "./resolver-errors.ts";
import type { Shadow } from "./shadow.ts";

export interface PolicyApiDeps extends ImpactDeps {
  /** The signed-in officer; throws (UNAUTHENTICATED, say) when there is none. */
  officer(context: unknown): Officer;
  lifecycle: Lifecycle;
  store: PolicyStore;
  /** The policy in force in this gateway, and its texts: the policy holder. */
  holder: { authority(): Authority; texts(): readonly PolicyText[] };
  shadow?: Shadow;
  /**
   * Records a step with the request's context (its request id) before it commits; a throw
   * cancels the step. Called besides the lifecycle's own hook, if it has one.
   */
  record?: (context: unknown, action: LifecycleRecord) => Promise<void> | void;
  /** Told after a step that changes which versions are pending (shadow-candidates' refresh). */
  pendingChanged?: () => Promise<void> | void;
  /** The agency's owner notifications nobody acknowledged (inbox.ts); the inbox says null without. */
  unacknowledgedNotifications?: (agency: string) => Promise<number | null>;
}

const MAX_VERSIONS = 200;

/**
 * Resolvers for the policy half of the governance schema (schema.graphql): plain graphql-js
 * resolver maps, merged by the caller with the access-log half. Every one is about the signed-in
 * officer's own agency; another agency's version is NOT_FOUND, not FORBIDDEN, so its existence
 * does not leak.
 */
export function createPolicyResolvers(deps: PolicyApiDeps) {
  const agencyOf = (context: unknown) =>
    governedAgency(deps.holder.authority().policy, deps.officer(context));
  const ownFile = (agency: string) => agencyFileOf(deps.holder.texts(), agency);
  const impacts = createImpact(deps);

  // Problems of a text are asked for per listed version: remember them per policy in force.
  const problemCache = new Map<string, PolicyProblem[]>();
  const problemsOf = async (agency: string, text: string) => {
    const digest = createHash("sha256").update(text).digest("hex");
    const key = `${deps.holder.authority().policy.version}\0${agency}\0${digest}`;
    let problems = problemCache.get(key);
    if (!problems) {
      problems = await deps.lifecycle.problemsOf(agency, text);
      if (problemCache.size > 500) problemCache.clear();
      problemCache.set(key, problems);
    }
    return problemViews(problems, ownFile(agency));
  };

  const ownVersion = async (agency: string, id: string) => {
    const version = await deps.store.get(id);
    return version && version.agency === agency ? version : undefined;
  };

  const Query: Record<string, Resolver> = {
    livePolicy: guarded(async (_p, _a, context) => {
      const agency = agencyOf(context);
      const authority = deps.holder.authority();
      const text = agencyTextOf(deps.holder.texts(), agency) ?? "";
      const published = await deps.store.publishedVersion(agency);
      return {
        agency,
        // What this gateway enforces: a publication it has not loaded yet (under a second) is
        // not claimed as in force, and neither is one that did not load.
        version: published && published.text === text ? published : null,
        text,
        matrix: agencyMatrix(authority, agency),
      };
    }),
    policyVersions: guarded(async (_p, args, context) => {
      const first = Math.min(Math.max(Number(args.first ?? 50), 1), MAX_VERSIONS);
      return deps.store.list(agencyOf(context), first, {
        includeDiscarded: args.includeDiscarded === true,
      });
    }),
    policyVersion: guarded(
      async (_p, args, context) => (await ownVersion(agencyOf(context), String(args.id))) ?? null,
    ),
    validatePolicy: guarded(async (_p, args, context) =>
      problemsOf(agencyOf(context), String(args.text)),
    ),
    impact: guarded(async (_p, args, context) => impacts.of(agencyOf(context), String(args.text))),
    inbox: guarded(async (_p, _a, context) =>
      inboxOf({
        store: deps.store,
        agency: agencyOf(context),
        officerId: deps.officer(context).id,
        unacknowledged: deps.unacknowledgedNotifications,
      }),
    ),
    shadowReport: guarded(async (_p, args, context) => {
      const id = String(args.versionId);
      if (!(await ownVersion(agencyOf(context), id)))
        throw new GovernanceError("NOT_FOUND", `no version ${id} of your agency's policy`);
      const report = deps.shadow?.report(id);
      return {
        versionId: id,
        requestsObserved: report?.requestsObserved ?? 0,
        differences: report?.differences ?? [],
      };
    }),
  };

  const Mutation = createPolicyMutations(deps, ownFile);

  const PolicyVersionResolvers: Record<string, Resolver> = {
    problems: (version) =>
      problemsOf((version as PolicyVersion).agency, (version as PolicyVersion).text),
    diffFromInForce: async (version) => {
      const v = version as PolicyVersion;
      return impacts.diff(v, await deps.store.publishedVersion(v.agency));
    },
    impact: (version) =>
      impacts.of((version as PolicyVersion).agency, (version as PolicyVersion).text),
    widening: async (version) =>
      (await impacts.of((version as PolicyVersion).agency, (version as PolicyVersion).text, false))
        .widening,
    emergency: (version) => {
      const v = version as PolicyVersion;
      if (!v.emergencyReason) return null;
      return {
        reason: v.emergencyReason,
        reviewedBy: v.emergencyReviewedBy,
        reviewedAt: v.emergencyReviewedAt,
        reviewComment: v.emergencyReviewComment,
      };
    },
  };

  return { Query, Mutation, PolicyVersion: PolicyVersionResolvers };
}
