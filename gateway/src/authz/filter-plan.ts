import {
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getLocation,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type SourceLocation,
  visit,
} from "graphql";
import { collectFields, collectSubfields } from "graphql/execution/collectFields.js";
import type { FieldSlot } from "./release-collector.ts";
import type { Judge } from "./judge.ts";

type Row = Record<string, unknown>;
type Vars = Record<string, unknown>;

/** A field of one object type as the compiled pass completes it, decided once where it can be. */
export interface FieldPlan {
  responseKey: string;
  fieldName: string;
  nodes: readonly FieldNode[];
  /** `__typename`: graphql-js answers it from the type, never asking the resolver or the judge. */
  typename: boolean;
  type: GraphQLOutputType;
  /** The return type's wrappers, read once (graphql-js's type predicates are slow when false). */
  wrap: Wrap;
  /** The named return type, and whether its values are judged as the object type each one is. */
  named: GraphQLNamedType;
  abstract: boolean;
  composite: boolean;
  /** Arguments read from variables: graphql-js coerces them per field, and that can fail. */
  variableArguments: GraphQLField<unknown, unknown> | undefined;
  /** The audit's coordinate and owner. */
  slot: FieldSlot;
  /**
   * Without conditions on the type, the verdict for each purpose (outside, linked): null when
   * the field may be seen, the withheld template otherwise; undefined until first asked.
   */
  fixed: [GraphQLError | null | undefined, GraphQLError | null | undefined] | undefined;
  locations: readonly SourceLocation[] | undefined;
  /** The selection each concrete type gets under this field, built when first met. */
  children: Map<GraphQLObjectType, ObjectPlan> | undefined;
}

/** One level of a return type: whether it may be null, and its items' level when it is a list. */
export interface Wrap {
  nonNull: boolean;
  item: Wrap | undefined;
}

function wrapOf(type: GraphQLOutputType | undefined): Wrap {
  if (type && isNonNullType(type)) return { ...wrapOf(type.ofType), nonNull: true };
  return { nonNull: false, item: type && isListType(type) ? wrapOf(type.ofType) : undefined };
}

export interface ObjectPlan {
  type: GraphQLObjectType;
  fields: FieldPlan[];
  /** Conditions read the type's objects (and some field is judged on them). */
  conditional: boolean;
}

/**
 * What the result filter must do for one document, operation and authorization context,
 * compiled once: the operation's fields as graphql-js collects them for each concrete type
 * (collectFields itself, so fragments, aliases and merging are its own), the verdicts that do not
 * depend on the object, and the locations errors carry. @skip and @include are read from the
 * request's variables; each combination of them gets its own shape.
 */
export interface CompiledOperation {
  schema: GraphQLSchema;
  judgeKey: string;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  rootType: GraphQLObjectType;
  /** Every node carrying @skip or @include, in document order. */
  conditional: readonly { directives?: readonly DirectiveNode[] }[];
  /** Shapes by the @skip/@include outcome ("" without either). */
  shapes: Map<string, Shape>;
}

/** The plans for one @skip/@include outcome. */
export interface Shape {
  root: ObjectPlan;
  /** The variables whose directive outcome this shape was collected with (graphql-js's own). */
  variables: Vars;
}

const MAX_SHAPES = 32;

/**
 * Undefined when the document holds something the compiled pass leaves to graphql-js (the
 * operation cannot be chosen, introspection at the root, a `__proto__` key): the request is
 * then filtered by re-executing it, as before.
 */
export function compileOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  judgeKey: string,
): CompiledOperation | undefined {
  let operation: OperationDefinitionNode | undefined;
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  // The same choice graphql-js's buildExecutionContext makes; its refusals stay its own.
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (operationName == null) {
        if (operation !== undefined) return undefined;
        operation = definition;
      } else if (definition.name?.value === operationName) operation = definition;
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments[definition.name.value] = definition;
  }
  if (!operation || operation.operation === "subscription") return undefined;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return undefined;
  const conditional: { directives?: readonly DirectiveNode[] }[] = [];
  let refused = false;
  const nodes = [operation, ...Object.values(fragments)];
  for (const node of nodes)
    visit(node, {
      enter(n) {
        if (n.kind === Kind.FIELD && (n.alias ?? n.name).value === "__proto__") refused = true;
        if (
          (n.kind === Kind.FIELD ||
            n.kind === Kind.INLINE_FRAGMENT ||
            n.kind === Kind.FRAGMENT_SPREAD) &&
          n.directives?.some((d) => d.name.value === "skip" || d.name.value === "include")
        )
          conditional.push(n);
      },
    });
  if (refused) return undefined;
  return {
    schema,
    judgeKey,
    operation,
    fragments,
    rootType,
    conditional,
    shapes: new Map(),
  };
}

/** The shape for this request's variables (already coerced); throws what graphql-js would. */
export function shapeFor(compiled: CompiledOperation, variables: Vars, judge: Judge): Shape {
  let key = "";
  for (const node of compiled.conditional) {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
    const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
    key += skip?.if === true || include?.if === false ? "0" : "1";
  }
  let shape = compiled.shapes.get(key);
  if (!shape) {
    const fields = collectFields(
      compiled.schema,
      compiled.fragments,
      variables,
      compiled.rootType,
      compiled.operation.selectionSet as SelectionSetNode,
    );
    const root = objectPlan(compiled.rootType, fields, judge);
    shape = { root, variables };
    if (compiled.shapes.size < MAX_SHAPES) compiled.shapes.set(key, shape);
  }
  return shape;
}

/** The compiled pass cannot answer this request exactly as graphql-js would: re-execute it. */
export class Unsupported extends Error {}

function objectPlan(
  type: GraphQLObjectType,
  collected: Map<string, readonly FieldNode[]>,
  judge: Judge,
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
      variableArguments: reads ? def : undefined,
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
    plan = objectPlan(type, collected, judge);
    field.children.set(type, plan);
  }
  return plan;
}

/** The verdict on a field whose type no condition reads, for one purpose; decided once. */
export function fixedVerdict(
  plan: ObjectPlan,
  field: FieldPlan,
  inEnquiry: boolean,
  judge: Judge,
): GraphQLError | null {
  const fixed = field.fixed as NonNullable<FieldPlan["fixed"]>;
  const i = inEnquiry ? 1 : 0;
  let verdict = fixed[i];
  if (verdict === undefined) {
    // CASL tags the object it is given with its type; no object of the type is needed here.
    verdict = judge.verdict(plan.type.name, field.fieldName, {}, inEnquiry) ?? null;
    fixed[i] = verdict;
  }
  return verdict;
}

/** Where an error on this field points in the client's document, as graphql-js computes it. */
export function locationsOf(field: FieldPlan): readonly SourceLocation[] | undefined {
  if (field.locations === undefined) {
    const locs = field.nodes.map((n) => n.loc).filter((loc) => loc != null);
    field.locations = locs.length
      ? locs.map((loc) => getLocation(loc.source, loc.start))
      : undefined;
  }
  return field.locations;
}

/** Whether `runtime` is a concrete type graphql-js would accept for the field's abstract type. */
export function acceptsRuntimeType(
  compiled: CompiledOperation,
  field: FieldPlan,
  name: unknown,
): GraphQLObjectType | undefined {
  if (typeof name !== "string") return undefined;
  const type = compiled.schema.getType(name);
  if (!type || !isObjectType(type)) return undefined;
  if (!isAbstractType(field.named) || !compiled.schema.isSubType(field.named, type))
    return undefined;
  return type;
}

export type { Row };
