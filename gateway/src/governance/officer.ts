import type { Authority } from "../authz/ability.ts";
import type { Principal } from "../identity/verify.ts";

/** A signed-in governance officer and the one agency whose rules and log they govern. */
export interface Officer {
  id: string;
  name: string;
  agency: string;
  agencyTitle: string;
  roles: string[];
}

/** Why someone may not use the governance API; a message safe to show them. */
export class NotAnOfficer extends Error {}

/**
 * A governance role (roles.yaml `governance: true`) and an agency the policy knows: nothing less
 * reaches the governance API, so a practitioner can neither read the log nor touch a rule.
 */
export function officerOf(principal: Principal, authority: Authority): Officer {
  const { policy } = authority;
  const governs = principal.roles.some((r) => policy.roles.get(r)?.governance === true);
  if (!governs)
    throw new NotAnOfficer(
      "The governance API is for governance officers; your roles do not include one.",
    );
  const agency = principal.agency ? policy.agencies.get(principal.agency) : undefined;
  if (!agency)
    throw new NotAnOfficer(
      `A governance officer's sign-in must name the agency they govern; got "${principal.agency ?? ""}".`,
    );
  return {
    id: principal.id,
    name: principal.name,
    agency: agency.name,
    agencyTitle: agency.title,
    roles: principal.roles,
  };
}
