import {
  type GraphQLEnumType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  getNamedType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
} from "graphql";
import {
  acceptsRuntimeType,
  type CompiledOperation,
  childPlan,
  type FieldPlan,
  type ObjectPlan,
  type Row,
  type Shape,
  type Wrap,
} from "./filter-plan.ts";
import type { Judge } from "./judge.ts";
import { helperAlias, TYPENAME_ALIAS } from "./rewrite.ts";

/*
 * When the compiled pass reads the merged data as fetched (raw-results.ts) instead of Apollo's
 * shaped answer, it must answer exactly as before, so it must notice everything Apollo's shaping
 * would have changed: a null where the schema forbids one, a leaf value of the wrong kind, a
 * `__typename` that disagrees, anywhere in the rewritten operation, fields the pass never opens
 * (withheld, concealed) and the gateway's helper fields included. Any of them and the pass gives
 * up: the data is then shaped by Apollo and filtered as before. These checks are deliberately
 * stricter than Apollo's where that is simpler: a false alarm costs a shaping, never an answer.
 */

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const BUILT_IN = new Set(["String", "Int", "Float", "Boolean", "ID"]);

/**
 * What kind of leaf a type is, read once per type: graphql-js's isEnumType is an instanceof
 * check that, outside production, looks up class names when it is false (a custom scalar), and
 * validLeaf runs for every leaf of every answer the pass reads fetched.
 */
type LeafKind = "String" | "Int" | "Float" | "Boolean" | "ID" | "enum" | "custom";
const leafKinds = new WeakMap<GraphQLNamedType, LeafKind>();

function leafKindOf(named: GraphQLNamedType): LeafKind {
  let kind = leafKinds.get(named);
  if (kind === undefined) {
    // No other type of a schema can carry a built-in scalar's name, so the name decides first.
    if (BUILT_IN.has(named.name)) kind = named.name as LeafKind;
    else kind = isEnumType(named) ? "enum" : "custom";
    leafKinds.set(named, kind);
  }
  return kind;
}

/** federation-internals' isValidLeafValue, on graphql-js types: what Apollo's shaping accepts. */
export function validLeaf(named: GraphQLNamedType, value: unknown): boolean {
  const kind = leafKindOf(named);
  // Custom scalars: anything (Apollo cannot know what a subgraph's scalar holds).
  if (kind === "custom") return true;
  if (typeof value === "boolean") return kind === "Boolean";
  if (typeof value === "number" && Number.isFinite(value)) {
    if (kind === "Int" || kind === "ID") return INTEGER.test(String(value));
    return kind === "Float";
  }
  if (typeof value === "string") {
    if (kind === "enum") return (named as GraphQLEnumType).getValue(value) !== undefined;
    return kind !== "Boolean" && kind !== "Int" && kind !== "Float";
  }
  return false;
}

interface Context {
  compiled: CompiledOperation;
  shape: Shape;
  judge: Judge;
}

const wrapOf = (type: GraphQLOutputType): Wrap =>
  isNonNullType(type)
    ? { ...wrapOf(type.ofType), nonNull: true }
    : { nonNull: false, item: isListType(type) ? wrapOf(type.ofType) : undefined };

/** The gateway's helper fields on `type` (rewrite.ts), each with what its value must be. */
const helperChecks = new WeakMap<
  ObjectPlan,
  { alias: string; wrap: Wrap; named: GraphQLNamedType }[]
>();

/** Whether the helper fields of an object of the plan's type hold what Apollo would accept. */
export function helpersValid(context: Context, plan: ObjectPlan, row: Row): boolean {
  let checks = helperChecks.get(plan);
  if (!checks) {
    const fields = plan.type.getFields();
    checks = context.judge.helperFields(plan.type.name).flatMap((name) => {
      const def = fields[name];
      return def
        ? [
            {
              alias: helperAlias(plan.type.name, name),
              wrap: wrapOf(def.type),
              named: getNamedType(def.type),
            },
          ]
        : [];
    });
    helperChecks.set(plan, checks);
  }
  for (const check of checks) {
    const value = row[check.alias];
    // Helpers are the fields conditions read: leaves, or lists of them.
    if (!isLeafType(check.named)) {
      if ((value === null || value === undefined) && check.wrap.nonNull) return false;
      continue;
    }
    if (!valueValid(check.wrap, check.named, value)) return false;
  }
  return true;
}

function valueValid(wrap: Wrap, named: GraphQLNamedType, value: unknown): boolean {
  if (value === null || value === undefined) return !wrap.nonNull;
  if (wrap.item) {
    if (!Array.isArray(value)) return false;
    const item = wrap.item;
    return value.every((v) => valueValid(item, named, v));
  }
  return validLeaf(named, value);
}

/**
 * The concrete type of an object value at the field, as both Apollo and the pass would read
 * it; undefined when they could disagree, or either would refuse it.
 */
export function runtimeTypeOf(
  compiled: CompiledOperation,
  field: FieldPlan,
  row: Row,
): GraphQLObjectType | undefined {
  const typename = row.__typename;
  if (typename !== undefined && typeof typename !== "string") return undefined;
  if (!field.abstract) {
    const named = field.named as GraphQLObjectType;
    return typename === undefined || typename === named.name ? named : undefined;
  }
  // The planner asks for `__typename` on every abstract value; Apollo's fragments go by it.
  if (typename === undefined) return undefined;
  const runtime = acceptsRuntimeType(compiled, field, row[TYPENAME_ALIAS] ?? typename);
  if (!runtime || typename !== runtime.name) return undefined;
  return runtime;
}

/**
 * Whether a value the pass does not open (a withheld field, a concealed item) is one Apollo
 * would have shaped without an error: every level, every selected field, every helper.
 */
export function subtreeValid(
  context: Context,
  field: FieldPlan,
  wrap: Wrap,
  value: unknown,
): boolean {
  if (value === null || value === undefined) return !wrap.nonNull;
  if (wrap.item) {
    if (!Array.isArray(value)) return false;
    const item = wrap.item;
    return value.every((v) => subtreeValid(context, field, item, v));
  }
  if (!field.composite) return validLeaf(field.named, value);
  if (typeof value !== "object" || Array.isArray(value)) return false;
  return objectValid(context, field, value as Row);
}

/** An object value at the field: its type, its helpers, each of its selected fields. */
export function objectValid(context: Context, field: FieldPlan, row: Row): boolean {
  const runtime = runtimeTypeOf(context.compiled, field, row);
  if (!runtime) return false;
  const plan = childPlan(context.compiled, context.shape, field, runtime, context.judge);
  if (!helpersValid(context, plan, row)) return false;
  for (const child of plan.fields) {
    if (child.typename) continue;
    if (!subtreeValid(context, child, child.wrap, row[child.responseKey])) return false;
  }
  return true;
}
