import type { QueryPlan } from "@apollo/query-planner";
import {
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { AuthorizationContext } from "./authorization-context.ts";

type PlanNode = { kind: string; [key: string]: unknown };
type FetchNode = { serviceName: string; operation: string; requires?: unknown[] };
interface Selection {
  kind: string;
  name?: string;
  typeCondition?: string;
  selections?: Selection[];
}

/** The federation fields every subgraph serves at its root for the gateway's own calls. */
const ENTRY_POINTS = new Set(["_entities", "_service"]);

/** Every (type, field) one subgraph fetch asks for, read once per distinct operation text. */
const fieldsCache = new WeakMap<GraphQLSchema, Map<string, [string, string][]>>();

function fetchedFields(schema: GraphQLSchema, operation: string): [string, string][] {
  let bySchema = fieldsCache.get(schema);
  if (!bySchema) {
    bySchema = new Map();
    fieldsCache.set(schema, bySchema);
  }
  const cached = bySchema.get(operation);
  if (cached) return cached;
  const typeInfo = new TypeInfo(schema);
  const fields: [string, string][] = [];
  visit(
    parse(operation),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const name = node.name.value;
        if (!parent || name.startsWith("__")) return;
        if (parent === schema.getQueryType() && ENTRY_POINTS.has(name)) return;
        fields.push([parent.name, name]);
      },
    }),
  );
  if (bySchema.size > 5000) bySchema.clear();
  bySchema.set(operation, fields);
  return fields;
}

function* fetches(node: PlanNode | undefined): Generator<FetchNode> {
  if (!node) return;
  if (node.kind === "Fetch") yield node as unknown as FetchNode;
  for (const child of (node.nodes as PlanNode[] | undefined) ?? []) yield* fetches(child);
  yield* fetches(node.node as PlanNode | undefined);
  yield* fetches(node.ifClause as PlanNode | undefined);
  yield* fetches(node.elseClause as PlanNode | undefined);
  yield* fetches((node.primary as { node?: PlanNode } | undefined)?.node);
  for (const d of (node.deferred as { node?: PlanNode }[] | undefined) ?? [])
    yield* fetches(d.node);
}

/**
 * What a plan reads from one fetch only to hand to a later one: entity keys, `@requires` inputs
 * (`@inaccessible` ones included). These are the gateway's own business: the filter re-runs the
 * client's operation, so none of them reaches a client unless a rule allows that field.
 */
function planInputs(schema: GraphQLSchema, plan: QueryPlan): Set<string> {
  const inputs = new Set<string>();
  const walk = (type: GraphQLNamedType | undefined, selections: readonly Selection[]) => {
    for (const s of selections) {
      if (s.kind === "InlineFragment") {
        walk(s.typeCondition ? schema.getType(s.typeCondition) : type, s.selections ?? []);
      } else if (s.kind === "Field" && s.name && type) {
        inputs.add(`${type.name}.${s.name}`);
        const def =
          isObjectType(type) || isInterfaceType(type) ? type.getFields()[s.name] : undefined;
        if (s.selections && def) walk(getNamedType(def.type), s.selections);
      }
    }
  };
  for (const fetch of fetches(plan.node as PlanNode | undefined))
    walk(undefined, (fetch.requires ?? []) as Selection[]);
  return inputs;
}

const inputsCache = new WeakMap<QueryPlan, Set<string>>();

/**
 * Plans already found clean, per judge core: what the guard reads (mayAllow, helperFields) is
 * the core's, shared by every request of the same policy version, roles and purpose (judge.ts),
 * so a plan it passed once passes again for it; nothing is remembered of a plan that failed.
 */
const passed = new WeakMap<QueryPlan, WeakMap<object, GraphQLSchema>>();

/**
 * Runs on every request after planning, cache hits included, before any subgraph is called: a
 * plan that would fetch a field this request may never see stops the request. It should never
 * fire (the rewrite removed such fields); it is there so a bug cannot leak data. `schema` is the
 * supergraph's full schema, `@inaccessible` elements included, so that every field a fetch names
 * can be placed.
 */
export function planGuard(schema: () => GraphQLSchema | undefined) {
  return ({
    queryPlan,
    requestContext,
  }: {
    queryPlan: QueryPlan;
    requestContext: { context: unknown };
  }) => {
    const { judge, narrowing } = requestContext.context as AuthorizationContext;
    const full = schema();
    if (!judge || !full) return;
    let inputs = inputsCache.get(queryPlan);
    if (!inputs) {
      inputs = planInputs(full, queryPlan);
      inputsCache.set(queryPlan, inputs);
    }
    // Fetches for people outside the purpose may leave out only what no later fetch needs.
    narrowing?.planned(queryPlan, inputs);
    const core = judge.mayAllow;
    if (passed.get(queryPlan)?.get(core) === full) return;
    for (const fetch of fetches(queryPlan.node as PlanNode | undefined)) {
      for (const [type, field] of fetchedFields(full, fetch.operation)) {
        // Helper fields (condition fields, the person's key and flag) are fetched for the gateway
        // to decide and notify; the filter never returns them unless a rule allows them.
        if (
          !judge.mayAllow(type, field) &&
          !judge.helperFields(type).includes(field) &&
          !inputs.has(`${type}.${field}`)
        ) {
          throw new GraphQLError(
            "The query plan would fetch a field this request may not see; nothing was fetched.",
            {
              extensions: {
                code: "AUTHORIZATION_PLAN_REFUSED",
                field: `${type}.${field}`,
                subgraph: fetch.serviceName,
              },
            },
          );
        }
      }
    }
    let clean = passed.get(queryPlan);
    if (!clean) {
      clean = new WeakMap();
      passed.set(queryPlan, clean);
    }
    clean.set(core, full);
  };
}
