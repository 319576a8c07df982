import {
  type DirectiveNode,
  type FieldNode,
  GraphQLIncludeDirective,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getDirectiveValues,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import { ITEM_UNION, RESERVED_PREFIX } from "./names.ts";
import { ChronologyRefused } from "./refused.ts";

export type EntryField = "at" | "agency" | "item" | "__typename";
type Variables = Record<string, unknown>;

const ENTRY_FIELDS = new Set<string>(["at", "agency", "item", "__typename"]);

const included = (node: { directives?: readonly DirectiveNode[] }, variables: Variables) =>
  getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
  getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;

/**
 * What the client asks of each entry (fragments already inlined; `@skip` and `@include` read
 * with the request's variables): its response keys in order, and the item's selection. The item
 * under one key only: two keys would need the same items fetched twice and matched up again.
 */
export function entrySelection(node: FieldNode, variables: Variables) {
  const entryKeys: { key: string; field: EntryField }[] = [];
  const itemSelections: SelectionNode[] = [];
  let itemKey: string | undefined;
  const collect = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (!included(s, variables)) continue;
      if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
      if (s.kind !== Kind.FIELD || !ENTRY_FIELDS.has(s.name.value)) continue;
      if (s.alias?.value.startsWith(RESERVED_PREFIX))
        throw new ChronologyRefused(
          `Aliases starting with "${RESERVED_PREFIX}" are the gateway's own; choose another alias.`,
          s,
        );
      const key = s.alias?.value ?? s.name.value;
      if (s.name.value === "item") {
        if (itemKey !== undefined && itemKey !== key)
          throw new ChronologyRefused(
            "Select a chronology entry's item once (one response key) and put every field you need in it.",
            s,
          );
        itemKey = key;
        itemSelections.push(...(s.selectionSet?.selections ?? []));
      }
      if (!entryKeys.some((e) => e.key === key))
        entryKeys.push({ key, field: s.name.value as EntryField });
    }
  };
  collect(node.selectionSet);
  return { entryKeys, itemKey, itemSelections };
}

/**
 * The client's item selection as it applies to one member of the union: fragments on the union
 * (or on no type) kept without their condition, those on the member or on an abstract type it
 * belongs to kept as they are, the rest left out (they could never apply to it).
 */
export function itemSelectionFor(
  schema: GraphQLSchema,
  selections: readonly SelectionNode[],
  type: string,
): SelectionNode[] {
  return selections.flatMap((s): SelectionNode[] => {
    if (s.kind !== Kind.INLINE_FRAGMENT) return [s];
    const on = s.typeCondition?.name.value;
    if (on === undefined || on === ITEM_UNION)
      return [
        {
          ...s,
          typeCondition: undefined,
          selectionSet: {
            ...s.selectionSet,
            selections: itemSelectionFor(schema, s.selectionSet.selections, type),
          },
        },
      ];
    if (on === type) return [s];
    const condition = schema.getType(on);
    const member = schema.getType(type);
    return isAbstractType(condition) && isObjectType(member) && schema.isSubType(condition, member)
      ? [s]
      : [];
  });
}
