import type { Authority } from "./ability.ts";

const given = new WeakMap<Authority, Map<string, readonly string[]>>();

/**
 * The roles the loaded agreement gives a field to in some purpose (with or without an enquiry, on
 * some object, with or without breaking the glass), in the order roles.yaml lists them. Read from
 * the compiled rules, so the last rule written decides here as it does for a request.
 */
export function rolesGiven(authority: Authority, type: string, field: string): readonly string[] {
  let byField = given.get(authority);
  if (!byField) {
    byField = new Map();
    given.set(authority, byField);
  }
  const key = `${type}.${field}`;
  let roles = byField.get(key);
  if (!roles) {
    roles = [...authority.policy.roles.keys()].filter((role) =>
      [false, true].some((inEnquiry) =>
        [false, true].some((breakGlass) =>
          authority.mayAllow(
            authority.ability({ roles: [role], inEnquiry, breakGlass }),
            type,
            field,
          ),
        ),
      ),
    );
    byField.set(key, roles);
  }
  return roles;
}

const listed = (names: readonly string[]) =>
  names.length < 2
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/**
 * Why a field is withheld from roles that no rule gives it to in any purpose, naming the roles
 * that may have it (a mutation a role may not call, say): an enquiry would not help them, so the
 * default reason's "without an open enquiry" would mislead. Undefined when one of the roles has
 * the field in some purpose, or when nobody has it.
 */
export function onlyForOthers(
  authority: Authority,
  roles: readonly string[],
  type: string,
  field: string,
): string | undefined {
  const others = rolesGiven(authority, type, field);
  if (others.length === 0 || roles.some((role) => others.includes(role))) return undefined;
  return `The sharing agreement gives ${type}.${field} only to ${listed(others)}.`;
}
