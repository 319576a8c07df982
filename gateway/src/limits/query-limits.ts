import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from "graphql";

import { defaultQueryLimits, type QueryLimits } from "./query-limits-config.ts";

export { defaultQueryLimits, type QueryLimits } from "./query-limits-config.ts";

const limitError = (message: string, node: OperationDefinitionNode, limit: string) =>
  new GraphQLError(message, { nodes: [node], extensions: { code: "QUERY_TOO_COMPLEX", limit } });

/** A list argument's length (`ids: [...]`) or a `first:` bound, when the query states one. */
function listSize(
  args: readonly { name: { value: string }; value: ValueNode }[] | undefined,
  variables: Record<string, unknown>,
  fallback: number,
): number {
  for (const arg of args ?? []) {
    const v = arg.value;
    const value =
      v.kind === Kind.VARIABLE
        ? variables[v.name.value]
        : v.kind === Kind.LIST
          ? v.values
          : v.kind === Kind.INT
            ? Number(v.value)
            : undefined;
    if (arg.name.value === "first" && typeof value === "number") return value;
    if (Array.isArray(value)) return value.length;
  }
  return fallback;
}

export interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

/**
 * Measures an operation with fragments expanded (so a fragment spread a thousand times counts a
 * thousand times), memoising each fragment so a "fragment bomb" costs little to measure.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  limits: QueryLimits,
  variables: Record<string, unknown> = {},
): Measure {
  const memo = new Map<string, Measure>();
  const walk = (
    set: SelectionSetNode | undefined,
    type: GraphQLOutputType | undefined,
    seen: Set<string>,
  ): Measure => {
    const total: Measure = { depth: 0, aliases: 0, cost: 0 };
    const named = type ? getNamedType(type) : undefined;
    const fields = named && isObjectType(named) ? named.getFields() : undefined;
    for (const selection of set?.selections ?? []) {
      let m: Measure;
      if (selection.kind === Kind.FIELD) {
        // Introspection (the console's schema load) is bounded by the schema, not by data, and
        // only signed-in users reach it: it is not what these limits are for.
        if (selection.name.value === "__schema" || selection.name.value === "__type") continue;
        const fieldType = fields?.[selection.name.value]?.type;
        const inner = selection.selectionSet
          ? walk(selection.selectionSet, fieldType, seen)
          : { depth: 0, aliases: 0, cost: 0 };
        const many =
          fieldType && isListType(getNullableType(fieldType))
            ? listSize(selection.arguments, variables, limits.defaultListSize)
            : 1;
        m = {
          depth: inner.depth + 1,
          aliases: inner.aliases + (selection.alias ? 1 : 0),
          cost: 1 + many * inner.cost,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const cond = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : named;
        m = walk(selection.selectionSet, (cond as GraphQLOutputType | undefined) ?? type, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue; // unknown or cyclic: validation reports those
        let cached = memo.get(name);
        if (!cached) {
          cached = walk(
            fragment.selectionSet,
            schema.getType(fragment.typeCondition.name.value) as GraphQLOutputType,
            new Set([...seen, name]),
          );
          memo.set(name, cached);
        }
        m = cached;
      }
      total.depth = Math.max(total.depth, m.depth);
      total.aliases += m.aliases;
      total.cost += m.cost;
    }
    return total;
  };
  const root =
    operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  return walk(operation.selectionSet, root ?? undefined, new Set());
}

/** The limits a measured operation goes past, each as the error that names it. */
export function limitErrors(
  m: Measure,
  limits: QueryLimits,
  node: OperationDefinitionNode,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  if (m.depth > limits.maxDepth)
    errors.push(
      limitError(
        `The query is nested ${m.depth} levels deep; the limit is ${limits.maxDepth}.`,
        node,
        "depth",
      ),
    );
  if (m.aliases > limits.maxAliases)
    errors.push(
      limitError(
        `The query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}.`,
        node,
        "aliases",
      ),
    );
  if (m.cost > limits.maxCost)
    errors.push(
      limitError(
        `The query would cost ${m.cost} (fields times list sizes); the limit is ${limits.maxCost}. Ask for fewer fields or smaller lists.`,
        node,
        "cost",
      ),
    );
  return errors;
}

/** A validation rule: runs with the other validation, before any planning or fetching. */
export function queryLimitsRule(limits: QueryLimits = defaultQueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    return {
      OperationDefinition(node) {
        const m = measureOperation(context.getSchema(), node, fragments, limits);
        for (const error of limitErrors(m, limits, node)) context.reportError(error);
      },
    };
  };
}

/**
 * graphql-js validates a subscription against a graph that has none, and the gateway's planner
 * then fails with a 500: refuse it in validation, with a 400 that says why.
 */
export function operationTypeExistsRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      const schema = context.getSchema();
      const root =
        node.operation === "subscription"
          ? schema.getSubscriptionType()
          : node.operation === "mutation"
            ? schema.getMutationType()
            : schema.getQueryType();
      if (!root) {
        context.reportError(
          new GraphQLError(`This graph has no ${node.operation} operations.`, { nodes: [node] }),
        );
      }
    },
  };
}
