import { badUserInput, type CallerContext } from "@mash/kit";

/**
 * The shape of an agency's name. The hub keeps no roster of agencies: which agencies exist is the
 * gateway's configuration (`policies/roles.yaml`), and a hub hosted apart from the gateway must
 * not need a copy that could drift. So any name of this shape is accepted, and a misspelt one
 * simply gives that "agency" nothing, since no user carries it.
 */
export const AGENCY_NAME = /^[a-z][a-z0-9-]*$/;
const MAX_AGENCY_NAME = 64;
/** Far more than a MASH has; it bounds one statement's rows, not the partnership. */
export const MAX_AGENCIES = 20;

/**
 * The caller's agency, as the gateway signed it. `what` says why it is needed, so the refusal
 * tells a caller without one what they cannot do.
 */
export function callerAgency(caller: CallerContext, what: string): string {
  const agency = caller.agency?.trim();
  if (!agency) throw badUserInput(`You have no agency: ${what}, and yours is not known.`);
  return agency;
}

/** One agency name, trimmed; refused (naming `field`) unless it has the shape of one. */
export function requireAgencyName(name: string, field: string): string {
  const trimmed = name.trim();
  if (trimmed.length > MAX_AGENCY_NAME || !AGENCY_NAME.test(trimmed)) {
    throw badUserInput(
      `${field}: "${trimmed.slice(0, MAX_AGENCY_NAME)}" is not an agency name (lower case letters, digits and hyphens, starting with a letter).`,
      field,
    );
  }
  return trimmed;
}

/**
 * Agencies to ask in, trimmed: each well formed and none named twice. Checks the list alone; who
 * leads and what the enquiry already holds are checked beside the enquiry.
 */
export function requireAgencyList(names: readonly string[], field: string): string[] {
  if (names.length > MAX_AGENCIES) {
    throw badUserInput(`${field} has ${names.length} agencies; at most ${MAX_AGENCIES}.`, field);
  }
  const agencies = names.map((name) => requireAgencyName(name, field));
  const duplicates = agencies.filter((a, i) => agencies.indexOf(a) !== i);
  if (duplicates.length) {
    throw badUserInput(
      `${field} names ${[...new Set(duplicates)].join(", ")} more than once.`,
      field,
    );
  }
  return agencies;
}

/** The lead takes part by leading the enquiry; asking it to research would mean nothing. */
export function refuseLead(agencies: readonly string[], field: string, lead: string): void {
  if (agencies.includes(lead)) {
    throw badUserInput(
      `${field} names ${lead}, the lead agency: it takes part by leading the enquiry and is not asked to research.`,
      field,
    );
  }
}
