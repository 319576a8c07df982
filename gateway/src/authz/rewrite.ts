import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";

/** Aliases the gateway gives the fields it fetches only to decide: stripped before responding. */
export const HELPER_PREFIX = "_authz_";
/**
 * A helper's alias names its type as well as its field: two members of a union may both have a
 * condition field of one name and different types, and one alias for both would not validate.
 */
export const helperAlias = (type: string, field: string) => `${HELPER_PREFIX}${type}__${field}`;
/** The concrete type of an interface or union value: the filter needs it to judge the object. */
export const TYPENAME_ALIAS = `${HELPER_PREFIX}__typename`;

export interface RewriteRules {
  /**
   * False when no rule could allow the field for this request: it is never fetched. On an
   * interface or union, false when no member's rules could.
   */
  mayAllow(type: string, field: string): boolean;
  /** Fields the gateway must read on every object of the type to decide on it. */
  helperFields(type: string): readonly string[];
}

const field = (name: string, alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
});

const helpersOf = (rules: RewriteRules, type: string): FieldNode[] =>
  rules.helperFields(type).map((name) => field(name, helperAlias(type, name)));

const onType = (type: GraphQLObjectType, selections: FieldNode[]): InlineFragmentNode => ({
  kind: Kind.INLINE_FRAGMENT,
  typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } },
  selectionSet: { kind: Kind.SELECTION_SET, selections },
});

/**
 * The plan-time half of enforcement: removes fields the request may never see, so the planner
 * never asks a subgraph for them, and adds what the filter needs to decide, under reserved
 * aliases: the fields conditional rules read, and on an interface or union the value's concrete
 * type (and each member's condition fields, in an inline fragment on that member). Works on
 * fragments and inline fragments alike, because a decision depends only on (type, field).
 */
export function rewriteForAuthorization(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: RewriteRules,
): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          if (node.alias?.value.startsWith(HELPER_PREFIX)) {
            throw new GraphQLError(
              `Aliases starting with "${HELPER_PREFIX}" are reserved for the gateway.`,
              {
                nodes: [node],
                extensions: { code: "BAD_USER_INPUT" },
              },
            );
          }
          const parent = typeInfo.getParentType();
          if (node.name.value.startsWith("__") || !parent) return undefined;
          return rules.mayAllow(parent.name, node.name.value) ? undefined : null;
        },
      },
      SelectionSet: {
        leave(node): SelectionSetNode {
          const parent = typeInfo.getParentType();
          const selections: SelectionNode[] = [...node.selections];
          if (parent && isObjectType(parent)) {
            selections.push(...helpersOf(rules, parent.name));
          } else if (parent && isAbstractType(parent)) {
            const members = schema.getPossibleTypes(parent);
            // An interface no object type implements has no concrete type to ask for (the planner
            // could not resolve one): the filter judges its values as the interface itself.
            if (members.length === 0) selections.push(...helpersOf(rules, parent.name));
            else selections.push(field("__typename", TYPENAME_ALIAS));
            for (const member of members) {
              const helpers = helpersOf(rules, member.name);
              if (helpers.length > 0) selections.push(onType(member, helpers));
            }
          }
          // A selection set every field of which was removed still needs one field to be valid.
          if (selections.length === 0) selections.push(field("__typename"));
          return { ...node, selections };
        },
      },
    }),
  );
}
