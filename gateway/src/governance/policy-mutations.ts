import type { Lifecycle, LifecycleRecord, Officer, StepOptions } from "./lifecycle.ts";
import type { PolicyVersion } from "./policy-store.ts";
import { type Args, type Resolver, toGraphQLError } from "./resolver-errors.ts";

const optional = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * The policy lifecycle's mutations: each runs one step as the signed-in officer, records it with
 * the request's context, and tells `pendingChanged` once it has committed.
 */
export function createPolicyMutations(
  deps: {
    officer(context: unknown): Officer;
    lifecycle: Lifecycle;
    record?: (context: unknown, action: LifecycleRecord) => Promise<void> | void;
    pendingChanged?: () => Promise<void> | void;
  },
  /** The agency's file in force, to place the problems of a refused text. */
  ownFile: (agency: string) => string | undefined,
): Record<string, Resolver> {
  const step =
    (
      run: (officer: Officer, args: Args, options: StepOptions) => Promise<PolicyVersion>,
    ): Resolver =>
    async (_parent, args, context) => {
      const officer = deps.officer(context);
      const record = deps.record;
      const options: StepOptions = record ? { record: (a) => record(context, a) } : {};
      try {
        const version = await run(officer, args, options);
        await deps.pendingChanged?.();
        return version;
      } catch (error) {
        throw toGraphQLError(error, officer.agency && ownFile(officer.agency));
      }
    };

  return {
    saveDraft: step((officer, args, o) =>
      deps.lifecycle.saveDraft(
        officer,
        { text: String(args.text ?? ""), note: optional(args.note) },
        o,
      ),
    ),
    discardDraft: step((officer, args, o) =>
      deps.lifecycle.discardDraft(officer, String(args.versionId), o),
    ),
    propose: step((officer, args, o) =>
      deps.lifecycle.propose(officer, String(args.versionId), String(args.reason ?? ""), o),
    ),
    approve: step((officer, args, o) =>
      deps.lifecycle.approve(officer, String(args.versionId), optional(args.comment), o),
    ),
    reject: step((officer, args, o) =>
      deps.lifecycle.reject(officer, String(args.versionId), String(args.reason ?? ""), o),
    ),
    publish: step((officer, args, o) => deps.lifecycle.publish(officer, String(args.versionId), o)),
    rollback: step((officer, args, o) =>
      deps.lifecycle.rollback(officer, String(args.toVersionId), String(args.reason ?? ""), o),
    ),
    publishNarrowing: step((officer, args, o) =>
      deps.lifecycle.publishNarrowing(
        officer,
        {
          versionId: optional(args.versionId),
          text: optional(args.text),
          reason: String(args.reason ?? ""),
        },
        o,
      ),
    ),
    reviewNarrowing: step((officer, args, o) =>
      deps.lifecycle.reviewNarrowing(
        officer,
        String(args.versionId),
        String(args.comment ?? ""),
        o,
      ),
    ),
  };
}
