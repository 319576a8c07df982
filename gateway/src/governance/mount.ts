import type { Logger } from "@mash/kit";
import type { GraphQLSchema } from "graphql";
import type { AuditStore } from "../audit/store.ts";
import type { StatedEnquiry } from "../authz/judge.ts";
import type { PolicyHolder } from "../authz/policy-holder.ts";
import { accessLogResolvers } from "./access-log.ts";
import type { Resolvers } from "./resolvers.ts";
import type { RunAs } from "./simulate.ts";
import { type AuthorityFor, simulationResolvers } from "./simulation-api.ts";

/** Everything the governance API answers, over this gateway's log and policy. */
export function governanceResolvers(deps: {
  auditStore: AuditStore | undefined;
  policies: PolicyHolder;
  logger: Logger;
  schema: () => GraphQLSchema | undefined;
  runAs: RunAs;
  resolveEnquiry: (id: string, requestId: string) => Promise<StatedEnquiry>;
}): Resolvers[] {
  const authorityFor: AuthorityFor = (_officer, text) =>
    text === undefined
      ? { authority: deps.policies.authority(), problems: [] }
      : { authority: undefined, problems: [{ message: "Candidate texts are not supported yet." }] };
  return [
    accessLogResolvers(() => deps.auditStore?.store.db),
    simulationResolvers({
      schema: deps.schema,
      runAs: deps.runAs,
      resolveEnquiry: deps.resolveEnquiry,
      authorityFor,
    }),
  ];
}
