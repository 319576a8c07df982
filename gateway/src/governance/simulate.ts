import {
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from "graphql";
import type { Authority } from "../authz/ability.ts";
import type { RequestAuthorization, StatedEnquiry } from "../authz/judge.ts";
import { takesPart, WITHHELD } from "../authz/judge.ts";

export const MASK = "•••";
/** Enough items of a list to show a condition deciding differently per item, no more. */
const ITEMS_PER_LIST = 5;
const MAX_DEPTH = 4;

export interface SimulatedField {
  path: string;
  field: string;
  owner: string;
  visible: boolean;
  rule: string | null;
  masked: string | null;
}

type Execution = {
  data?: Record<string, unknown> | null;
  errors?: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
};

/** Runs a query as someone else, under a given policy, with no audit record of its own. */
export type RunAs = (
  query: string,
  variables: Record<string, unknown>,
  as: { authority: Authority; authorization: RequestAuthorization; roles: string[] },
) => Promise<Execution>;

/**
 * Everything the graph holds about one person, as one query: every field without required
 * arguments, down to MAX_DEPTH, not following links to other people (their own look is theirs).
 */
export function everythingQuery(schema: GraphQLSchema, scopeType: string, keyOf: string): string {
  const scope = schema.getType(scopeType);
  if (!scope || !isObjectType(scope)) throw new Error(`No ${scopeType} type in the schema.`);
  // A type already on the path is not entered again (an enquiry's contacts' enquiry): a cycle
  // adds nothing the first visit does not show, and multiplies the query's cost.
  const selection = (type: GraphQLObjectType, depth: number, path: ReadonlySet<string>): string => {
    const within = new Set([...path, type.name]);
    const parts: string[] = [];
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) parts.push(field.name);
      // Another person (a household member, an enquiry's people) is named by key only.
      else if (named === scope) parts.push(`${field.name} { ${keyOf} }`);
      else if (isObjectType(named) && depth < MAX_DEPTH && !within.has(named.name))
        parts.push(`${field.name} { ${selection(named, depth + 1, within)} }`);
    }
    return parts.length ? parts.join(" ") : "__typename";
  };
  const root = Object.entries(schema.getQueryType()?.getFields() ?? {}).find(
    ([, f]) =>
      getNamedType(f.type) === scope && f.args.length === 1 && isNonNullType(f.args[0]?.type),
  );
  if (!root) throw new Error(`No query field returns one ${scopeType} by its key.`);
  const [name, field] = root;
  const arg = field.args[0];
  return `query Simulation($key: ${String(arg?.type)}) { ${name}(${arg?.name}: $key) { ${selection(scope, 0, new Set())} } }`;
}

/**
 * "As role R, with enquiry E, on subject S": which fields of the person would be visible or
 * withheld and by which rule, from a real run of the gateway's enforcement on the real data,
 * with every value replaced by a mask before it leaves this function.
 */
export async function simulate(options: {
  schema: GraphQLSchema;
  authority: Authority;
  role: string;
  subjectId: string;
  enquiry: StatedEnquiry | undefined;
  breakGlass: boolean;
  runAs: RunAs;
}): Promise<{ inEnquiry: boolean; fields: SimulatedField[] }> {
  const { authority } = options;
  const { policy } = authority;
  const scope = policy.scope;
  if (!scope)
    throw new SimulationInputError(
      "roles.yaml names no scope (the person type every field hangs under), so there is no person to simulate on.",
    );
  if (!policy.roles.has(options.role))
    throw new SimulationInputError(`No role "${options.role}" in roles.yaml.`);
  const roles = [options.role];
  const authorization: RequestAuthorization = {
    roles,
    // The role's agency: a simulation in an enquiry shows what that agency would see there.
    agency: policy.roles.get(options.role)?.agency,
    enquiry: options.enquiry,
    breakGlass: options.breakGlass && authority.mayBreakGlass(roles),
  };
  const query = everythingQuery(options.schema, scope.type, scope.key);
  const result = await options.runAs(
    query,
    { key: options.subjectId },
    { authority, authorization, roles },
  );
  const withheld = new Map<string, string>();
  for (const e of result.errors ?? []) {
    if (e.extensions?.code !== WITHHELD || !e.path) continue;
    withheld.set(e.path.join("."), String(e.extensions.rule ?? "default-deny"));
  }
  const unexpected = (result.errors ?? []).find((e) => e.extensions?.code !== WITHHELD);
  if (unexpected && !result.data)
    throw new Error(`The simulation query failed: ${JSON.stringify(unexpected)}`);

  const fields: SimulatedField[] = [];
  const walk = (
    type: GraphQLObjectType,
    value: Record<string, unknown>,
    path: (string | number)[],
  ) => {
    for (const [name, field] of Object.entries(type.getFields())) {
      if (!(name in value)) continue;
      const here = [...path, name];
      const key = here.join(".");
      const rule = withheld.get(key) ?? null;
      const raw = value[name];
      const named = getNamedType(field.type);
      fields.push({
        path: key,
        field: `${type.name}.${name}`,
        owner: policy.owners.get(`${type.name}.${name}`) ?? policy.hub,
        visible: rule === null,
        rule,
        masked: rule === null && raw !== null && raw !== undefined ? MASK : null,
      });
      if (!isObjectType(named) || raw === null || typeof raw !== "object") continue;
      if (Array.isArray(raw))
        raw.slice(0, ITEMS_PER_LIST).forEach((item, i) => {
          if (item && typeof item === "object")
            walk(named, item as Record<string, unknown>, [...here, i]);
        });
      else walk(named, raw as Record<string, unknown>, here);
    }
  };
  const scopeType = options.schema.getType(scope.type) as GraphQLObjectType;
  const root = result.data ? Object.values(result.data)[0] : null;
  if (root && typeof root === "object")
    walk(scopeType, root as Record<string, unknown>, [Object.keys(result.data ?? {})[0] as string]);
  const inEnquiry =
    takesPart(authorization) && (options.enquiry?.subjects.has(options.subjectId) ?? false);
  return { inEnquiry, fields };
}

export class SimulationInputError extends Error {}
