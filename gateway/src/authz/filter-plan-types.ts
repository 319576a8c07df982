import type {
  DirectiveNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SourceLocation,
} from "graphql";
import type { FieldSlot } from "./release-collector.ts";

/** A result object as the subgraphs' response holds it. */
export type Row = Record<string, unknown>;
/** A request's variables, already coerced. */
export type Vars = Record<string, unknown>;

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
