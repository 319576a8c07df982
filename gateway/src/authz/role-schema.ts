import type { GraphQLSchema } from "graphql";
import type { Authority } from "./ability.ts";
import { chronologyGiven } from "./chronology/schema.ts";
import { introspectionIn } from "./introspection-in.ts";
import { type MayGive, pruneSchema } from "./prune-schema.ts";
import { validationErrorsFor } from "./validation-errors-for.ts";

// Re-exported for the request path (authorizing-gateway.ts, judged-execution.ts), which takes a
// role's view from here.
export { introspectionIn, validationErrorsFor };

/**
 * Whether any rule can ever give these roles a field: outside and in an enquiry, and with and
 * without breaking the glass when one of the roles may break it. On an interface, whether it
 * can on some implementation, as the judge decides (judge.ts).
 */
export function givenTo(authority: Authority, roles: readonly string[]): MayGive {
  const breakGlass = authority.mayBreakGlass(roles) ? [false, true] : [false];
  const abilities = [false, true].flatMap((inEnquiry) =>
    breakGlass.map((glass) => authority.ability({ roles, inEnquiry, breakGlass: glass })),
  );
  const onType = (type: string, field: string) =>
    abilities.some((ability) => authority.mayAllow(ability, type, field));
  return (type, field) => {
    const members = authority.policy.possibleTypes.get(type);
    return members ? members.some((m) => onType(m, field)) : onType(type, field);
  };
}

/** Policy versions kept at once: the one in force, and a governance simulation's candidates. */
const VERSIONS = 4;

/**
 * Role sets kept per policy version. Each entry is a whole schema, and the key is the set of the
 * agreement's roles a token carries, so without a bound the cache could hold one for every
 * subset of the roles (4,096 for twelve). Tokens carry a role or two: 64 sets hold every
 * combination in use, and one dropped is rebuilt at its next request.
 */
export const MAX_ROLE_SETS = 64;

/**
 * Each role set's schema, built once per (role set, policy version) over the API schema. The
 * version is read from the authority each time, so a publication (or a file edit) is shown at
 * the next request. Per version, the least recently used role set goes past `maxRoleSets`.
 */
export class RoleSchemas {
  private readonly byApi = new WeakMap<GraphQLSchema, Map<string, Map<string, GraphQLSchema>>>();
  private readonly maxRoleSets: number;

  constructor(options: { maxRoleSets?: number } = {}) {
    this.maxRoleSets = options.maxRoleSets ?? MAX_ROLE_SETS;
  }

  schemaFor(api: GraphQLSchema, authority: Authority, roles: readonly string[]): GraphQLSchema {
    const { policy } = authority;
    let versions = this.byApi.get(api);
    if (!versions) {
      versions = new Map();
      this.byApi.set(api, versions);
    }
    let byRoles = versions.get(policy.version);
    if (!byRoles) {
      byRoles = new Map();
      versions.set(policy.version, byRoles);
      if (versions.size > VERSIONS) versions.delete(versions.keys().next().value as string);
    }
    // Only roles the agreement knows change what is given: a token's other roles do not make
    // another schema (so neither another cache entry).
    const known = [...new Set(roles)].filter((r) => policy.roles.has(r)).sort();
    const key = known.join(",");
    let schema = byRoles.get(key);
    if (schema) {
      // Most recently used last: the first entry is the one to drop.
      byRoles.delete(key);
    } else {
      // The chronology is given as the fields it is made of are (chronology/schema.ts).
      schema = pruneSchema(api, chronologyGiven(api, givenTo(authority, known)));
      if (byRoles.size >= this.maxRoleSets) byRoles.delete(byRoles.keys().next().value as string);
    }
    byRoles.set(key, schema);
    return schema;
  }
}
