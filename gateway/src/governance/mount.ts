import type { Logger } from "@mash/kit";
import type { AuditStore } from "../audit/store.ts";
import type { PolicyHolder } from "../authz/policy-holder.ts";
import { accessLogResolvers } from "./access-log.ts";
import type { Resolvers } from "./resolvers.ts";

/** Everything the governance API answers, over this gateway's log and policy. */
export function governanceResolvers(deps: {
  auditStore: AuditStore | undefined;
  policies: PolicyHolder;
  logger: Logger;
}): Resolvers[] {
  return [accessLogResolvers(() => deps.auditStore?.store.db)];
}
