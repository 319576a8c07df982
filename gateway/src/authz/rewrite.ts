import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLSchema,
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
export const helperAlias = (field: string) => `${HELPER_PREFIX}${field}`;

export interface RewriteRules {
  /** False when no rule could allow the field for this request: it is never fetched. */
  mayAllow(type: string, field: string): boolean;
  /** Fields the gateway must read on every object of the type to decide on it. */
  helperFields(type: string): readonly string[];
}

const field = (name: string, alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
});

/**
 * The plan-time half of enforcement: removes fields the request may never see, so the planner
 * never asks a subgraph for them, and adds the fields that conditional rules read (under reserved
 * aliases), so a condition is never judged on a missing value. Works on fragments and inline
 * fragments alike, because a decision depends only on (type, field).
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
          if (node.name.value.startsWith("__") || !parent || !isObjectType(parent))
            return undefined;
          return rules.mayAllow(parent.name, node.name.value) ? undefined : null;
        },
      },
      SelectionSet: {
        leave(node): SelectionSetNode {
          const parent = typeInfo.getParentType();
          const selections: SelectionNode[] = [...node.selections];
          if (parent && isObjectType(parent)) {
            for (const name of rules.helperFields(parent.name))
              selections.push(field(name, helperAlias(name)));
          }
          // A selection set every field of which was removed still needs one field to be valid.
          if (selections.length === 0) selections.push(field("__typename"));
          return { ...node, selections };
        },
      },
    }),
  );
}
