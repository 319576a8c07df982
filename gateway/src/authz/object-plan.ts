import {
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  visit,
} from "graphql";
import { collectSubfields } from "graphql/execution/collectFields.js";
import type { CompiledOperation, FieldPlan, ObjectPlan, Shape, Wrap } from "./filter-plan-types.ts";
import type { Judge } from "./judge.ts";

function wrapOf(type: GraphQLOutputType | undefined): Wrap {
  if (type && isNonNullType(type)) return { ...wrapOf(type.ofType), nonNull: true };
  return { nonNull: false, item: type && isListType(type) ? wrapOf(type.ofType) : undefined };
}

/** The compiled pass cannot answer this request exactly as graphql-js would: re-execute it. */
export class Unsupported extends Error {}
/** The plan of one object type's collected fields, each judged once where it can be. */
export function objectPlan(
  type: GraphQLObjectType,
  collected: Map<string, readonly FieldNode[]>,
  judge: Judge,
  /** The operation's variables declared non-null (nonNullVariables). */
  nonNull: ReadonlySet<string>,
): ObjectPlan {
  const defs = type.getFields();
  const fields: FieldPlan[] = [];
  for (const [responseKey, nodes] of collected) {
    const first = nodes[0] as FieldNode;
    const fieldName = first.name.value;
    const typename = fieldName === "__typename";
    const def = typename ? undefined : defs[fieldName];
    // graphql-js leaves out a field the type does not have (executeField returns nothing);
    // root introspection it answers itself, and the gateway answers apart (role-schema.ts).
    if (!typename && !def) {
      if (fieldName === "__schema" || fieldName === "__type") throw new Unsupported();
      continue;
    }
    const fieldType = def?.type as GraphQLOutputType;
    const named = def ? getNamedType(fieldType) : (undefined as unknown as GraphQLNamedType);
    const reads = def ? argumentsRead(first) : false;
    if (def && !reads && def.args.length > 0) {
      // Literal arguments are the same on every request: if graphql-js would refuse them, it
      // would every time, and the compiled pass leaves the document to it.
      try {
        getArgumentValues(def, first, {});
      } catch {
        throw new Unsupported();
      }
    }
    fields.push({
      responseKey,
      fieldName,
      nodes,
      typename,
      type: fieldType,
      wrap: wrapOf(fieldType),
      named,
      abstract: def ? isAbstractType(named) : false,
      composite: def ? !isLeafType(named) : false,
      variableArguments: reads && !passedThrough(first, nonNull) ? def : undefined,
      slot: {
        key: `${type.name}.${fieldName}`,
        agency: judge.ownerOf(type.name, fieldName).agency,
      },
      fixed: judge.fixed(type.name) ? [undefined, undefined] : undefined,
      locations: undefined,
      children: undefined,
    });
  }
  return { type, fields, conditional: !judge.fixed(type.name) && fields.some((f) => !f.typename) };
}

const argumentsRead = (node: FieldNode) =>
  node.arguments?.some((arg) => {
    let reads = false;
    visit(arg.value, {
      Variable() {
        reads = true;
      },
    });
    return reads;
  }) ?? false;

/**
 * Every argument is a variable declared non-null: coerceVariables has already coerced it, so
 * graphql-js's coercion of the argument (getArgumentValues) hands the value on and cannot fail.
 * Validation has checked the variable's type fits the argument's; any other argument is coerced
 * per request, as graphql-js does.
 */
const passedThrough = (node: FieldNode, nonNull: ReadonlySet<string>) =>
  node.arguments?.every(
    (arg) => arg.value.kind === Kind.VARIABLE && nonNull.has(arg.value.name.value),
  ) ?? false;

const nonNullByOperation = new WeakMap<OperationDefinitionNode, ReadonlySet<string>>();

/** The names of the operation's variables whose declared type is non-null. */
export function nonNullVariables(operation: OperationDefinitionNode): ReadonlySet<string> {
  let names = nonNullByOperation.get(operation);
  if (!names) {
    names = new Set(
      (operation.variableDefinitions ?? [])
        .filter((d) => d.type.kind === Kind.NON_NULL_TYPE)
        .map((d) => d.variable.name.value),
    );
    nonNullByOperation.set(operation, names);
  }
  return names;
}

/** The plan for `field`'s value when it is an object of `type`, collected as graphql-js would. */
export function childPlan(
  compiled: CompiledOperation,
  shape: Shape,
  field: FieldPlan,
  type: GraphQLObjectType,
  judge: Judge,
): ObjectPlan {
  field.children ??= new Map();
  let plan = field.children.get(type);
  if (!plan) {
    const collected = collectSubfields(
      compiled.schema,
      compiled.fragments,
      shape.variables,
      type,
      field.nodes as FieldNode[],
    );
    plan = objectPlan(type, collected, judge, nonNullVariables(compiled.operation));
    field.children.set(type, plan);
  }
  return plan;
}
