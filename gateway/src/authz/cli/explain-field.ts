import { devUsers } from "../../identity/dev-tokens.ts";
import type { Authority } from "../ability.ts";
import type { PolicySet } from "../policy/types.ts";
import { describeConditions, describeContact, verdictFor } from "../verdict.ts";
import { onlyForOthers } from "../who-may.ts";
import { ExplainError } from "./explain-error.ts";
import { type ExplainPurposeOptions, explainPurpose } from "./explain-purpose.ts";

export interface ExplainFieldOptions {
  authority: Authority;
  policy: PolicySet;
  /** "Type.field", already checked to have that form. */
  type: string;
  field: string;
  /** A development user's name, or else a role of roles.yaml. */
  as?: string | undefined;
  role?: string | undefined;
  breakGlass: boolean;
  /** The enquiry stated, and how to ask the hub about it. */
  enquiry?: Omit<ExplainPurposeOptions, "policy" | "agency"> | undefined;
}

/**
 * Says which rule decides a field for a user and a purpose, and why: the rules that could apply,
 * in the order they are tried, and the verdict. Throws ExplainError for what it cannot answer.
 */
export async function explainField(options: ExplainFieldOptions): Promise<string[]> {
  const { authority, policy, type, field } = options;
  const coordinate = `${type}.${field}`;
  if (!policy.owners.has(coordinate))
    throw new ExplainError(`${coordinate} is not a field of the supergraph.`);

  let roles: string[];
  let agency: string | undefined;
  let who: string;
  if (options.as) {
    const user = devUsers().find((u) => u.username === options.as);
    if (!user) throw new ExplainError(`No development user "${options.as}".`);
    roles = user.roles;
    agency = user.agency;
    who = `${user.username} (${user.name}; ${roles.join(", ")})`;
  } else if (options.role) {
    if (!policy.roles.has(options.role))
      throw new ExplainError(`No role "${options.role}" in roles.yaml.`);
    roles = [options.role];
    agency = policy.roles.get(options.role)?.agency;
    who = `role ${options.role}`;
  } else {
    throw new ExplainError("Say who: --as <user> or --role <role>.");
  }

  const { inEnquiry, purpose } = options.enquiry
    ? await explainPurpose({ ...options.enquiry, policy, agency })
    : { inEnquiry: false, purpose: "no enquiry stated" };
  const breakGlass = options.breakGlass && authority.mayBreakGlass(roles);
  const verdict = verdictFor(authority, { roles, inEnquiry, breakGlass }, type, field);
  const owner = policy.owners.get(coordinate) as string;
  // The contact a withheld error of this field names (roles.yaml's), whatever decided it.
  const contact = policy.agencies.get(owner)?.contact;

  const lines = [
    `${coordinate} (owned by ${owner}) for ${who}`,
    `Contact point: ${contact ? describeContact(contact) : `none (roles.yaml names no contact for ${owner})`}`,
    `Purpose: ${purpose}${options.breakGlass ? (breakGlass ? "; breaking the glass" : "; break-glass asked, but these roles may not break the glass") : ""}`,
    "",
    "Rules tried in order; the first whose condition holds decides:",
  ];
  for (const b of verdict.branches) {
    lines.push(
      `  if ${describeConditions(b.conditions)}: ${b.allowed ? "VISIBLE" : "WITHHELD"} by rule ${b.rule.id} (${b.rule.file}:${b.rule.line})`,
    );
    if (!b.allowed && b.rule.reason) lines.push(`      reason: ${b.rule.reason}`);
  }
  const o = verdict.otherwise;
  const prefix = verdict.branches.length ? "  otherwise: " : "  ";
  if (o.rule) {
    lines.push(
      `${prefix}${o.allowed ? "VISIBLE" : "WITHHELD"} by rule ${o.rule.id} (${o.rule.file}:${o.rule.line}): ${o.rule.description}`,
    );
    if (!o.allowed && o.rule.reason) lines.push(`      reason: ${o.rule.reason}`);
    lines.push(`      legal basis: ${o.rule.legalBasis}`);
  } else {
    lines.push(
      `${prefix}WITHHELD by default-deny: no rule gives these roles this field in this context.`,
    );
    // As a practitioner refused it is told: the roles the agreement does give the field to.
    const others = onlyForOthers(authority, roles, type, field);
    if (others) lines.push(`      reason: ${others}`);
  }
  return lines;
}
