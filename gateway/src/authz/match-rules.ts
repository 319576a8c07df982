import type { ArgumentReach, FlagReach, SearchAccess } from "@mash/kit";
import type { Authority } from "./ability.ts";
import { type RequestAuthorization, takesPart } from "./judge.ts";
import type { SearchArgument } from "./policy/types.ts";

type Ability = ReturnType<Authority["ability"]>;
type Fields = SearchAccess["fields"];

const tables = new WeakMap<Authority, Map<string, Fields>>();

/**
 * Tables kept per policy: the key is the token's roles (any strings a token carries, not only the
 * agreement's), so it is bounded here, least recently used first out; one dropped is rebuilt.
 */
export const MAX_REACH_TABLES = 256;

/**
 * Whom each search argument may match, for one request, as the subgraph that owns the search is
 * to apply it. A search is a read of the fields its arguments name (policies' `arguments:`), and
 * a read is decided per person: by whether the stated enquiry (one the caller's agency takes
 * part in) links them, and by their flag. Those are all the engine knows of a person before
 * reading them, and all the policy load lets a rule on such a field depend on; so four decisions
 * per argument say everything, computed here from the same abilities the result filter uses.
 * The linked people are named only when the caller's agency takes part in the stated enquiry;
 * the table says what the agreement gives for linked people either way, so that a refusal can
 * say that an enquiry is what the search needs. Undefined when the subgraph owns no search.
 */
export function searchAccessFor(
  authority: Authority,
  request: RequestAuthorization,
  subgraph: string,
): SearchAccess | undefined {
  const linkedPeople = takesPart(request);
  const key = `${[...request.roles].sort().join(",")}|${request.breakGlass ? 1 : 0}|${subgraph}`;
  const cached = tables.get(authority) ?? new Map<string, Fields>();
  tables.set(authority, cached);
  let fields = cached.get(key);
  if (fields) {
    cached.delete(key);
  } else {
    fields = reachTable(authority, request, subgraph);
    if (cached.size >= MAX_REACH_TABLES) cached.delete(cached.keys().next().value as string);
  }
  cached.set(key, fields);
  if (Object.keys(fields).length === 0) return undefined;
  return {
    fields,
    linked: linkedPeople ? [...(request.enquiry?.subjects ?? [])].sort() : [],
  };
}

function reachTable(authority: Authority, request: RequestAuthorization, subgraph: string): Fields {
  const { policy } = authority;
  const base = { roles: request.roles, breakGlass: request.breakGlass };
  const outside = authority.ability({ ...base, inEnquiry: false });
  const linked = authority.ability({ ...base, inEnquiry: true });
  const flag = policy.scope?.flag;
  const fields: Fields = {};
  for (const search of policy.searches.values()) {
    // Only the agency that serves the search is told whom it may match.
    if (!policy.agencies.get(search.agency)?.subgraphs.includes(subgraph)) continue;
    const table: Record<string, ArgumentReach> = {};
    for (const argument of search.arguments) {
      if (argument.reads.length === 0) continue;
      const reach = (ability: Ability): FlagReach => ({
        flagged: mayRead(authority, ability, argument, flag, true),
        unflagged: mayRead(authority, ability, argument, flag, false),
      });
      table[argument.name] = { outside: reach(outside), linked: reach(linked) };
    }
    fields[search.coordinate] = table;
  }
  return fields;
}

/**
 * Every field the argument reads is allowed for a person with the flag as given. The policy load
 * refused any rule on these fields conditioned on anything else, so this is the decision the
 * result filter would make for each such person.
 */
function mayRead(
  authority: Authority,
  ability: Ability,
  argument: SearchArgument,
  flag: string | undefined,
  flagged: boolean,
): boolean {
  const person = authority.policy.scope?.type;
  return argument.reads.every(({ type, fields }) => {
    const object = type === person && flag !== undefined ? { [flag]: flagged } : {};
    return fields.every((field) => authority.decide(ability, type, field, object).allowed);
  });
}
