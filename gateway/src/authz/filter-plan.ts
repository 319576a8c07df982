import {
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getDirectiveValues,
  getLocation,
  isAbstractType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type SourceLocation,
  visit,
} from "graphql";
import { collectFields } from "graphql/execution/collectFields.js";
import type { CompiledOperation, FieldPlan, ObjectPlan, Shape, Vars } from "./filter-plan-types.ts";
import type { Judge } from "./judge.ts";
import { nonNullVariables, objectPlan } from "./object-plan.ts";

// Re-exported: the result filter (filter-pass.ts, raw-checks.ts) takes its plans from here.
export type {
  CompiledOperation,
  FieldPlan,
  ObjectPlan,
  Row,
  Shape,
  Wrap,
} from "./filter-plan-types.ts";
export { childPlan, Unsupported } from "./object-plan.ts";

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
    const root = objectPlan(compiled.rootType, fields, judge, nonNullVariables(compiled.operation));
    shape = { root, variables };
    if (compiled.shapes.size < MAX_SHAPES) compiled.shapes.set(key, shape);
  }
  return shape;
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
    // Frozen: shared by every error at the field, its JSON written once (server/result-json.ts).
    field.locations = locs.length
      ? Object.freeze(locs.map((loc) => Object.freeze(getLocation(loc.source, loc.start))))
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
