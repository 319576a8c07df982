import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * The chosen operation alone, every fragment spread replaced by an inline fragment on the same
 * type with the spread's directives: the same query, with nothing shared between places, so each
 * place can be rewritten on its own. A document the limits let through names some thousands of
 * fields once expanded (their cost counts each spread), so the inlined one stays bounded.
 */
export function inlineFragments(
  document: DocumentNode,
  operationName: string | null | undefined,
): { document: DocumentNode; operation: OperationDefinitionNode } | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const inlineSet = (set: SelectionSetNode, seen: ReadonlySet<string>): SelectionSetNode => ({
    ...set,
    selections: set.selections.flatMap((s) => inlineOne(s, seen)),
  });
  const inlineOne = (selection: SelectionNode, seen: ReadonlySet<string>): SelectionNode[] => {
    if (selection.kind === Kind.FIELD)
      return [
        selection.selectionSet
          ? { ...selection, selectionSet: inlineSet(selection.selectionSet, seen) }
          : selection,
      ];
    if (selection.kind === Kind.INLINE_FRAGMENT)
      return [{ ...selection, selectionSet: inlineSet(selection.selectionSet, seen) }];
    const name = selection.name.value;
    const fragment = fragments.get(name);
    // Validation refuses unknown and cyclic spreads before this runs; should one come, it is
    // left out rather than followed for ever.
    if (!fragment || seen.has(name)) return [];
    return [
      {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        directives: selection.directives,
        selectionSet: inlineSet(fragment.selectionSet, new Set([...seen, name])),
        loc: selection.loc,
      },
    ];
  };
  const inlined: OperationDefinitionNode = {
    ...operation,
    selectionSet: inlineSet(operation.selectionSet, new Set()),
  };
  return { document: { kind: Kind.DOCUMENT, definitions: [inlined] }, operation: inlined };
}
