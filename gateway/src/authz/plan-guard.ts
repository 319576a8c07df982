import type { QueryPlan } from "@apollo/query-planner";
import {
  GraphQLError,
  type GraphQLSchema,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { AuthorizationContext } from "./authorizing-gateway.ts";

type PlanNode = { kind: string; [key: string]: unknown };

/** Every (type, field) one subgraph fetch asks for, read once per distinct operation text. */
const fieldsCache = new Map<string, [string, string][]>();

function fetchedFields(schema: GraphQLSchema, operation: string): [string, string][] {
  const cached = fieldsCache.get(operation);
  if (cached) return cached;
  const typeInfo = new TypeInfo(schema);
  const fields: [string, string][] = [];
  visit(
    parse(operation),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && isObjectType(parent) && !node.name.value.startsWith("_"))
          fields.push([parent.name, node.name.value]);
      },
    }),
  );
  if (fieldsCache.size > 5000) fieldsCache.clear();
  fieldsCache.set(operation, fields);
  return fields;
}

function* fetches(
  node: PlanNode | undefined,
): Generator<{ serviceName: string; operation: string }> {
  if (!node) return;
  if (node.kind === "Fetch") yield node as unknown as { serviceName: string; operation: string };
  for (const child of (node.nodes as PlanNode[] | undefined) ?? []) yield* fetches(child);
  yield* fetches(node.node as PlanNode | undefined);
  yield* fetches(node.ifClause as PlanNode | undefined);
  yield* fetches(node.elseClause as PlanNode | undefined);
  yield* fetches((node.primary as { node?: PlanNode } | undefined)?.node);
  for (const d of (node.deferred as { node?: PlanNode }[] | undefined) ?? [])
    yield* fetches(d.node);
}

/**
 * Runs on every request after planning, cache hits included, before any subgraph is called: a
 * plan that would fetch a field this request may never see stops the request. It should never
 * fire (the rewrite removed such fields); it is there so a bug cannot leak data.
 */
export function planGuard(schema: () => GraphQLSchema | undefined) {
  return ({
    queryPlan,
    requestContext,
  }: {
    queryPlan: QueryPlan;
    requestContext: { context: unknown };
  }) => {
    const judge = (requestContext.context as AuthorizationContext).judge;
    const apiSchema = schema();
    if (!judge || !apiSchema) return;
    for (const fetch of fetches(queryPlan.node as PlanNode | undefined)) {
      for (const [type, field] of fetchedFields(apiSchema, fetch.operation)) {
        // Helper fields (condition fields, the person's key and flag) are fetched for the gateway
        // to decide and notify; the filter never returns them unless a rule allows them.
        if (!judge.mayAllow(type, field) && !judge.helperFields(type).includes(field)) {
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
  };
}
